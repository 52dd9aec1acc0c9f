using System.Text.Json.Serialization;
using Parley.Server.Storage;

namespace Parley.Server.Fanout;

/// <summary>A message was stored in a channel.</summary>
public sealed record MessageCreated(StoredMessage Message, ChannelRecord Channel) : ChatEvent
{
    public override long? WorkspaceId => Channel.WorkspaceId;

    /// <summary>The socket request that sent it, when it carried a <c>requestId</c>; never sent to other nodes.</summary>
    [JsonIgnore]
    public RequestOrigin? Origin { get; init; }
}

/// <summary>A message was deleted.</summary>
public sealed record MessageDeleted(long MessageId, ChannelRecord Channel) : ChatEvent
{
    public override long? WorkspaceId => Channel.WorkspaceId;
}

/// <summary>
/// A message was edited: <see cref="Message"/> as stored after the edit (same id and seq), with the readers it had then,
/// so that every protocol can send the whole message again.
/// </summary>
public sealed record MessageUpdated(StoredMessage Message, IReadOnlyList<long> ReadBy, ChannelRecord Channel) : ChatEvent
{
    public override long? WorkspaceId => Channel.WorkspaceId;
}

/// <summary>
/// A moderator pinned (<see cref="Pinned"/>) or unpinned a message of a channel; published only when the pin changed.
/// <see cref="At"/> is the pin's time (for an unpin, when it was taken off).
/// </summary>
public sealed record PinChanged(long MessageId, ChannelRecord Channel, bool Pinned, long ByUserId, DateTime At) : ChatEvent
{
    public override long? WorkspaceId => Channel.WorkspaceId;
}

/// <summary>A user marked a message read; <see cref="OriginSocketId"/> is the socket that asked (it gets no copy).</summary>
public sealed record MessageRead(long MessageId, long ReaderId, long AuthorId, ChannelRecord Channel, DateTime ReadAt, Guid? OriginSocketId) : ChatEvent
{
    public override long? WorkspaceId => Channel.WorkspaceId;
}

/// <summary>A user started (<see cref="Started"/>) or stopped typing in a channel.</summary>
public sealed record TypingChanged(long UserId, string Username, ChannelRecord Channel, bool Started) : ChatEvent
{
    public override long? WorkspaceId => Channel.WorkspaceId;
}

/// <summary>
/// A user started typing to <see cref="RecipientId"/> on <c>/messagepal</c> while the two have no DM channel yet: typing
/// creates none, so this goes to the recipient's sockets by user, not by channel.
/// </summary>
public sealed record DirectTypingStarted(long UserId, string Username, long RecipientId) : ChatEvent
{
    public override long? WorkspaceId => null;
}

/// <summary>A user's first socket joined a channel (online) or their last one left it (offline).</summary>
public sealed record PresenceChanged(long UserId, string Username, long ChannelId, long? ChannelWorkspaceId, bool Online) : ChatEvent
{
    public override long? WorkspaceId => ChannelWorkspaceId;
}

/// <summary>A channel was created in a workspace.</summary>
public sealed record ChannelCreated(ChannelRecord Channel) : ChatEvent
{
    public override long? WorkspaceId => Channel.WorkspaceId;
}

/// <summary>A workspace was created; its owner is its only member.</summary>
public sealed record WorkspaceCreated(WorkspaceRecord Workspace) : ChatEvent
{
    public override long? WorkspaceId => Workspace.Id;
}

/// <summary>A user joined a workspace.</summary>
public sealed record MemberAdded(long Workspace, long UserId) : ChatEvent
{
    public override long? WorkspaceId => Workspace;
}

/// <summary>A user left or was removed from a workspace: their sockets stop receiving its events at once.</summary>
public sealed record MemberRemoved(long Workspace, long UserId) : ChatEvent
{
    public override long? WorkspaceId => Workspace;
}

/// <summary>A session ended or an API token was revoked: every node closes the sockets that used it (4001).</summary>
public sealed record CredentialRevoked(string CredentialHash) : ChatEvent
{
    public override long? WorkspaceId => null;
}

/// <summary>The host's backend disconnected the user: every node closes every socket of theirs (4010); they may reconnect.</summary>
public sealed record UserDisconnected(long UserId) : ChatEvent
{
    public override long? WorkspaceId => null;
}

/// <summary>
/// The host changed a user's profile (username, display name, role): every node drops what it cached of it, so that
/// what it sends next carries the new one.
/// </summary>
public sealed record UserProfileChanged(long UserId) : ChatEvent
{
    public override long? WorkspaceId => null;
}

/// <summary>
/// A node is taking over gateway session <see cref="SessionId"/> for a RESUME: the node holding it stops numbering
/// its dispatches, closes its socket if one is attached, and marks its Redis mirror released to
/// <see cref="ClaimId"/>. Sent to every node, and ordered by Redis with every other event (one delivery script at a
/// time: each node reads its share of one total order), which is what makes the hand-off exact.
/// </summary>
public sealed record GatewaySessionClaimed(string SessionId, Guid ClaimId) : ChatEvent
{
    public override long? WorkspaceId => null;
}
