using System.Globalization;
using System.Text.Json;
using Parley.Protocol.Gateway;
using Parley.Server.Chat;

namespace Parley.Server.Realtime.Gateway;

internal sealed partial class GatewaySocketProtocol
{
    /// <summary>
    /// IDENTIFY: the user is the socket's authenticated user; a <c>d.userId</c> naming anyone else closes the
    /// socket with 4001. The session is registered before READY is built, so that nothing published meanwhile
    /// is lost: it is held and follows READY.
    /// </summary>
    private async Task<ChatError?> IdentifyAsync(GatewayConnection state, JsonElement data, CancellationToken cancellationToken)
    {
        var user = state.Socket.User!;
        if (!ClaimsSameUser(data, user.Id))
        {
            return GatewayFrameErrors.AuthenticationFailed;
        }
        state.IdentifyReceived();
        var session = sessions.Create(user);
        try
        {
            var record = await queries.GetUserAsync(user.Id, cancellationToken);
            if (record is null)
            {
                sessions.End(session, "user not found");
                return GatewayFrameErrors.AuthenticationFailed;
            }
            // The session is registered already, so a presence change after this read follows READY as a dispatch.
            // The first workspaces and channels by id, each read as one more than listed to tell whether more exist:
            // READY stays bounded however many the user has (the rest is paged over HTTP).
            var guilds = new List<GatewayGuild>();
            var (workspaces, moreWorkspaces) = await queries.ListWorkspacesWithChannelsAsync(user.Id, _options.ReadyGuildLimit, _options.ReadyChannelLimit, cancellationToken);
            var listed = workspaces.Select(GatewayFrames.ToGateway).ToArray();
            // Every listed channel's presence in one lookup (with Redis, one round trip per few hundred channels).
            var online = await chat.ListOnlineAsync([.. listed.SelectMany(g => g.Channels.Select(c => c.Id))], exceptUserId: user.Id);
            foreach (var guild in listed)
            {
                guilds.Add(guild with
                {
                    Presences = [.. guild.Channels.SelectMany(c => online[c.Id].Select(u => new GatewayPresence(u.UserId, "online", guild.Id, c.Id)))],
                });
            }
            state.Identified(session);
            var ready = new GatewayReady(GatewayFrames.ToGateway(record), guilds, session.Id) { MoreGuilds = moreWorkspaces };
            session.Ready(state.Socket, GatewayFrames.Ready(ready));
            GatewayLog.Identified(logger, state.Socket.Id, user.Id, session.Id);
            return null;
        }
        catch
        {
            sessions.End(session, "identify failed");
            throw;
        }
    }

    /// <summary>True when <c>d.userId</c> is absent or names the authenticated user (as a number or its decimal string).</summary>
    private static bool ClaimsSameUser(JsonElement data, long userId)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("userId", out var claimed) || claimed.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        return claimed.ValueKind switch
        {
            JsonValueKind.Number => claimed.TryGetInt64(out var id) && id == userId,
            JsonValueKind.String => claimed.GetString() == userId.ToString(CultureInfo.InvariantCulture),
            _ => false,
        };
    }
}
