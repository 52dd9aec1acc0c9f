using System.Text.Json;
using Parley.Protocol.Chat;
using Parley.Protocol.Gateway;

namespace Parley.Client;

// The C# events of a gateway connection: raised on the receive loop, one at a time in wire order.
public sealed partial class ParleyGatewayConnection
{
    /// <summary>Every frame from the server, raw (HELLO, dispatches, HEARTBEAT_ACK, INVALID_SESSION), before any other event it raises.</summary>
    public event EventHandler<JsonElement>? FrameReceived;

    /// <summary>Every dispatch <c>{t, d, s}</c>, READY and replays included, before its typed event; <see cref="LastSequence"/> already counts it.</summary>
    public event EventHandler<ParleyGatewayDispatch>? DispatchReceived;

    /// <summary><c>MESSAGE_CREATE</c>: a message in a channel of one of the user's workspaces, or in one of their DM channels.</summary>
    public event EventHandler<ChatMessage>? MessageCreated;

    /// <summary><c>MESSAGE_DELETE</c>: a message was deleted.</summary>
    public event EventHandler<GatewayMessageDelete>? MessageDeleted;

    /// <summary>(ext) <c>MESSAGE_UPDATE</c>: a message was edited; the message with its new content and <c>EditedAt</c> (the dispatch's <c>edited_timestamp</c>).</summary>
    public event EventHandler<ChatMessage>? MessageUpdated;

    /// <summary><c>CHANNEL_CREATE</c>: a channel was created in one of the user's workspaces.</summary>
    public event EventHandler<GatewayChannel>? ChannelCreated;

    /// <summary>(ext) <c>GUILD_CREATE</c>: the user joined or created a workspace (with its channels).</summary>
    public event EventHandler<GatewayGuild>? GuildCreated;

    /// <summary>(ext) <c>GUILD_DELETE</c>: the user is no longer a member of a workspace and gets nothing more of it.</summary>
    public event EventHandler<GatewayGuildDelete>? GuildDeleted;

    /// <summary><c>GUILD_MEMBER_ADD</c>: someone joined one of the user's workspaces.</summary>
    public event EventHandler<GatewayGuildMember>? GuildMemberAdded;

    /// <summary><c>GUILD_MEMBER_REMOVE</c>: someone left one of the user's workspaces.</summary>
    public event EventHandler<GatewayGuildMember>? GuildMemberRemoved;

    /// <summary><c>PRESENCE_UPDATE</c>: a user came online or went offline in a channel of one of the user's workspaces.</summary>
    public event EventHandler<GatewayPresence>? PresenceUpdated;

    /// <summary><c>HEARTBEAT_ACK</c>: the server answered a heartbeat.</summary>
    public event EventHandler? HeartbeatAcknowledged;

    /// <summary>
    /// <c>INVALID_SESSION</c>: the RESUME cannot be honoured. The socket stays open and unidentified: heartbeats
    /// stop, <see cref="SessionId"/> and <see cref="LastSequence"/> are cleared, and the caller should
    /// <see cref="IdentifyAsync"/> (what was missed is then lost: load it over HTTP).
    /// </summary>
    public event EventHandler? InvalidSession;

    /// <summary>An event handler of this connection threw; the exception is passed here and otherwise ignored.</summary>
    public event EventHandler<Exception>? EventHandlerFailed;
}
