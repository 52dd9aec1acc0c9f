using System.Text.Json.Serialization;

namespace Parley.Server.Fanout;

/// <summary>
/// Something that happened which sockets may need to hear about. Events travel on the
/// <see cref="IMessageBus"/>; each protocol adapter turns them into its own wire shape, encoding each event
/// once per shape (see <see cref="EncodedFrames"/>), not once per recipient.
/// </summary>
/// <remarks>The JSON form (with a <c>kind</c> discriminator) is what travels between nodes.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(MessageCreated), "message_created")]
[JsonDerivedType(typeof(MessageDeleted), "message_deleted")]
[JsonDerivedType(typeof(MessageUpdated), "message_updated")]
[JsonDerivedType(typeof(MessageRead), "message_read")]
[JsonDerivedType(typeof(TypingChanged), "typing")]
[JsonDerivedType(typeof(PresenceChanged), "presence")]
[JsonDerivedType(typeof(ChannelCreated), "channel_created")]
[JsonDerivedType(typeof(WorkspaceCreated), "workspace_created")]
[JsonDerivedType(typeof(MemberAdded), "member_added")]
[JsonDerivedType(typeof(MemberRemoved), "member_removed")]
[JsonDerivedType(typeof(CredentialRevoked), "credential_revoked")]
[JsonDerivedType(typeof(UserDisconnected), "user_disconnected")]
[JsonDerivedType(typeof(UserProfileChanged), "user_profile_changed")]
[JsonDerivedType(typeof(GatewaySessionClaimed), "gateway_session_claimed")]
public abstract record ChatEvent
{
    /// <summary>Per-wire-shape cache of the encoded frame, shared by every recipient of this event.</summary>
    [JsonIgnore]
    public EncodedFrames Frames { get; } = new();

    /// <summary>
    /// Unique per event and carried between nodes, so that a node taking over a gateway session can tell the
    /// dispatches the old node already numbered from new ones (see <see cref="GatewaySessionClaimed"/>).
    /// </summary>
    public Guid EventId { get; init; } = Guid.NewGuid();

    /// <summary>The workspace concerned, or null for DM-only events (gateway routing).</summary>
    [JsonIgnore]
    public abstract long? WorkspaceId { get; }
}
