using System.Text.Json.Serialization;

namespace Parley.Server.Fanout.Wire;

/// <summary>
/// An event as it travels between nodes: the bus's own records, mapped from and to <see cref="ChatEvent"/> at the edge
/// (<see cref="BusEventMapping"/>), so that a change of a storage record or of a core event does not change what nodes
/// send each other.
/// </summary>
/// <remarks>
/// The JSON (web defaults: camelCase; <c>kind</c> discriminator) is the one nodes exchanged before these records
/// existed, so nodes of that version and of this one understand each other. Changes must stay additive: a new field
/// is optional (old nodes ignore it, new nodes default it), a new <c>kind</c> is new; anything else needs a new kind.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(BusMessageCreated), "message_created")]
[JsonDerivedType(typeof(BusMessageDeleted), "message_deleted")]
[JsonDerivedType(typeof(BusMessageUpdated), "message_updated")]
[JsonDerivedType(typeof(BusMessageRead), "message_read")]
[JsonDerivedType(typeof(BusPinChanged), "pin_changed")]
[JsonDerivedType(typeof(BusTypingChanged), "typing")]
[JsonDerivedType(typeof(BusDirectTypingStarted), "direct_typing")]
[JsonDerivedType(typeof(BusPresenceChanged), "presence")]
[JsonDerivedType(typeof(BusChannelCreated), "channel_created")]
[JsonDerivedType(typeof(BusWorkspaceCreated), "workspace_created")]
[JsonDerivedType(typeof(BusMemberAdded), "member_added")]
[JsonDerivedType(typeof(BusMemberRemoved), "member_removed")]
[JsonDerivedType(typeof(BusCredentialRevoked), "credential_revoked")]
[JsonDerivedType(typeof(BusUserDisconnected), "user_disconnected")]
[JsonDerivedType(typeof(BusUserProfileChanged), "user_profile_changed")]
[JsonDerivedType(typeof(BusGatewaySessionClaimed), "gateway_session_claimed")]
public abstract record BusEvent
{
    /// <summary>The event's <see cref="ChatEvent.EventId"/>, kept across nodes (the gateway hand-off relies on it).</summary>
    public Guid EventId { get; init; }
}
