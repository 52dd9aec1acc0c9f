using Parley.Server.Wire;
using System.Text;
using System.Text.Json;
using Parley.Protocol.Gateway;
using Parley.Protocol.Json;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Realtime.Gateway;

/// <summary>Encodes <c>/gateway</c> frames. Dispatch payloads are serialized once per event (see <see cref="GatewayDispatch"/>).</summary>
internal static class GatewayFrames
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;

    public static readonly byte[] HeartbeatAck = JsonSerializer.SerializeToUtf8Bytes(new GatewayOpFrame(GatewayOps.HeartbeatAck), Json.GatewayOpFrame);
    public static readonly byte[] InvalidSession = JsonSerializer.SerializeToUtf8Bytes(new GatewayOpFrame(GatewayOps.InvalidSession), Json.GatewayOpFrame);

    public static byte[] Hello(TimeSpan heartbeatInterval) =>
        JsonSerializer.SerializeToUtf8Bytes(new GatewayHello(new GatewayHelloData((long)heartbeatInterval.TotalMilliseconds)), Json.GatewayHello);

    public static GatewayDispatch Ready(GatewayReady ready) =>
        new(GatewayEvents.Ready, null, Head(GatewayEvents.Ready, JsonSerializer.SerializeToUtf8Bytes(ready, Json.GatewayReady)), Guid.Empty);

    public static GatewayDispatch Of(MessageCreated e) => Cached(e, GatewayEvents.MessageCreate, static e =>
        JsonSerializer.SerializeToUtf8Bytes(e.Message.ToChatMessage([]), Json.ChatMessage));

    public static GatewayDispatch Of(MessageDeleted e) => Cached(e, GatewayEvents.MessageDelete, static e =>
        JsonSerializer.SerializeToUtf8Bytes(new GatewayMessageDelete(e.MessageId, e.Channel.Id, e.Channel.WorkspaceId), Json.GatewayMessageDelete));

    public static GatewayDispatch Of(PinChanged e) => Cached(e, GatewayEvents.ChannelPinsUpdate, static e =>
        JsonSerializer.SerializeToUtf8Bytes(
            new GatewayChannelPinsUpdate(e.Channel.Id, e.Channel.WorkspaceId, e.MessageId, e.Pinned, e.Pinned ? e.At : null), Json.GatewayChannelPinsUpdate));

    /// <summary>MESSAGE_UPDATE: the message as MESSAGE_CREATE has it (now with <c>editedAt</c>) plus <c>edited_timestamp</c>.</summary>
    public static GatewayDispatch Of(MessageUpdated e) => Cached(e, GatewayEvents.MessageUpdate, static e =>
    {
        var message = JsonSerializer.SerializeToNode(e.Message.ToChatMessage(e.ReadBy), Json.ChatMessage)!.AsObject();
        message["edited_timestamp"] = UtcMillisecondsConverter.ToWire(e.Message.EditedAt!.Value);
        return Encoding.UTF8.GetBytes(message.ToJsonString());
    });

    public static GatewayDispatch Of(ChannelCreated e) => Cached(e, GatewayEvents.ChannelCreate, static e =>
        JsonSerializer.SerializeToUtf8Bytes(ToGateway(e.Channel), Json.GatewayChannel));

    public static GatewayDispatch Of(PresenceChanged e) => Cached(e, GatewayEvents.PresenceUpdate, static e =>
        JsonSerializer.SerializeToUtf8Bytes(new GatewayPresence(e.UserId, e.Online ? "online" : "offline", e.ChannelWorkspaceId!.Value, e.ChannelId), Json.GatewayPresence));

    public static GatewayDispatch Of(WorkspaceCreated e) => Cached(e, GatewayEvents.GuildCreate, static e =>
        JsonSerializer.SerializeToUtf8Bytes(ToGateway(e.Workspace, []), Json.GatewayGuild));

    public static GatewayDispatch MemberAdded(MemberAdded e) => Cached(e, GatewayEvents.GuildMemberAdd, static e =>
        JsonSerializer.SerializeToUtf8Bytes(new GatewayGuildMember(e.Workspace, e.UserId), Json.GatewayGuildMember));

    public static GatewayDispatch MemberRemoved(MemberRemoved e) => Cached(e, GatewayEvents.GuildMemberRemove, static e =>
        JsonSerializer.SerializeToUtf8Bytes(new GatewayGuildMember(e.Workspace, e.UserId), Json.GatewayGuildMember));

    /// <summary>To the removed user only; not cached, since the event's cached frame is the one for the remaining members.</summary>
    public static GatewayDispatch GuildDelete(MemberRemoved e) =>
        new(GatewayEvents.GuildDelete, e.Workspace, Head(GatewayEvents.GuildDelete, JsonSerializer.SerializeToUtf8Bytes(new GatewayGuildDelete(e.Workspace), Json.GatewayGuildDelete)), e.EventId);

    /// <summary>GUILD_CREATE for a user just added, read from the store; <paramref name="eventId"/> is the MemberAdded's.</summary>
    public static GatewayDispatch GuildCreate(GatewayGuild guild, Guid eventId) =>
        new(GatewayEvents.GuildCreate, guild.Id, Head(GatewayEvents.GuildCreate, JsonSerializer.SerializeToUtf8Bytes(guild, Json.GatewayGuild)), eventId);

    /// <summary>The guild with the snapshot's channels; <see cref="GatewayGuild.MoreChannels"/> when some were left out.</summary>
    public static GatewayGuild ToGateway(WorkspaceSnapshot snapshot) =>
        ToGateway(snapshot.Workspace, snapshot.Channels) with { MoreChannels = snapshot.MoreChannels };

    public static GatewayGuild ToGateway(WorkspaceRecord workspace, IEnumerable<ChannelRecord> channels) =>
        new(workspace.Id, workspace.Name, workspace.Description, workspace.OwnerId, workspace.CreatedAt, [.. channels.Select(ToGateway)]);

    public static GatewayChannel ToGateway(ChannelRecord channel) =>
        new(channel.Id, channel.WorkspaceId, channel.WorkspaceId, channel.Name, channel.Type, channel.Subject, channel.LastSeq, channel.CreatedAt);

    public static GatewayUser ToGateway(UserRecord user) => new(user.Id, user.Username, user.DisplayName, user.Role, user.CreatedAt);

    /// <summary>The event's gateway head, built by its first recipient and shared by the rest.</summary>
    private static GatewayDispatch Cached<TEvent>(TEvent e, string t, Func<TEvent, byte[]> encodeData) where TEvent : ChatEvent =>
        new(t, e.WorkspaceId, e.Frames.GetOrAdd(WireShape.Gateway, (e, t, encodeData), static state => Head(state.t, state.encodeData(state.e))), e.EventId);

    /// <summary><c>{"t":"…","d":…,"s":</c> — the frame without its sequence number and closing brace.</summary>
    private static byte[] Head(string t, byte[] data)
    {
        var prefix = Encoding.UTF8.GetBytes($$"""{"t":"{{t}}","d":""");
        var suffix = ""","s":"""u8;
        var head = new byte[prefix.Length + data.Length + suffix.Length];
        prefix.CopyTo(head, 0);
        data.CopyTo(head, prefix.Length);
        suffix.CopyTo(head.AsSpan(prefix.Length + data.Length));
        return head;
    }
}
