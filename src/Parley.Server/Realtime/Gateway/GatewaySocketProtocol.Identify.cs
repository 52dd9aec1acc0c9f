using System.Globalization;
using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Gateway;

namespace Parley.Server.Realtime.Gateway;

internal sealed partial class GatewaySocketProtocol
{
    /// <summary>
    /// IDENTIFY: the user is the socket's authenticated user; a <c>d.userId</c> naming anyone else closes the
    /// socket with 4001. The session is registered before READY is built, so that nothing published meanwhile
    /// is lost: it is held and follows READY.
    /// </summary>
    private async Task IdentifyAsync(GatewayConnection state, JsonElement data)
    {
        var user = state.Socket.User!;
        if (!ClaimsSameUser(data, user.Id))
        {
            state.Close(CloseCodes.Unauthorized, "Authentication failed", logger);
            return;
        }
        state.IdentifyReceived();
        var session = sessions.Create(user);
        try
        {
            var record = await store.GetUserAsync(user.Id);
            if (record is null)
            {
                sessions.End(session, "user not found");
                state.Close(CloseCodes.Unauthorized, "Authentication failed", logger);
                return;
            }
            var guilds = new List<GatewayGuild>();
            foreach (var workspace in await store.ListWorkspacesOfUserAsync(user.Id))
            {
                guilds.Add(GatewayFrames.ToGateway(workspace, await store.ListChannelsAsync(workspace.Id)));
            }
            state.Identified(session);
            session.Ready(state.Socket, GatewayFrames.Ready(new GatewayReady(GatewayFrames.ToGateway(record), guilds, session.Id)));
            GatewayLog.Identified(logger, state.Socket.Id, user.Id, session.Id);
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

    /// <summary>
    /// RESUME: only the same user, with the same still-valid credential, inside the resume window, from a seq
    /// the session still holds. Anything else answers INVALID_SESSION and the socket may IDENTIFY.
    /// </summary>
    private void Resume(GatewayConnection state, JsonElement data)
    {
        var user = state.Socket.User!;
        var refusal = "sessionId and seq are required";
        if (data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("sessionId", out var idField) && idField.ValueKind == JsonValueKind.String
            && data.TryGetProperty("seq", out var seqField) && seqField.ValueKind == JsonValueKind.Number && seqField.TryGetInt64(out var seq))
        {
            var session = sessions.Find(idField.GetString()!);
            if (session is null || session.UserId != user.Id || session.CredentialHash != user.CredentialHash)
            {
                refusal = "unknown session";
            }
            else if (session.TryResume(state.Socket, seq, time.GetTimestamp(), sessions.ResumeWindow, time, out var previous) is { } reason)
            {
                refusal = reason;
            }
            else
            {
                state.Identified(session);
                if (previous is not null && previous != state.Socket)
                {
                    // A session has one socket: the one it was resumed away from is closed normally.
                    previous.Close(1000, "Session resumed elsewhere");
                }
                GatewayLog.Resumed(logger, state.Socket.Id, user.Id, session.Id, seq);
                return;
            }
        }
        GatewayLog.ResumeRefused(logger, state.Socket.Id, user.Id, refusal);
        state.Socket.Send(GatewayFrames.InvalidSession);
    }
}
