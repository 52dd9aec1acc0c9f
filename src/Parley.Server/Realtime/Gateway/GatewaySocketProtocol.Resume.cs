using System.Text.Json;
using Parley.Server.Chat;
using Parley.Server.Sessions;

namespace Parley.Server.Realtime.Gateway;

internal sealed partial class GatewaySocketProtocol
{
    /// <summary>
    /// RESUME: only the same user, with the same still-valid credential, inside the resume window, from a seq
    /// the session still holds. A session this node does not hold is taken over from the node that does, when
    /// several nodes share Redis (<see cref="TakeOverAsync"/>). Anything else answers INVALID_SESSION and the
    /// socket may IDENTIFY.
    /// </summary>
    private async Task<ChatError?> ResumeAsync(GatewayConnection state, JsonElement data, CancellationToken cancellationToken)
    {
        var user = state.Socket.User!;
        string? refusal;
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("sessionId", out var idField) || idField.ValueKind != JsonValueKind.String
            || !data.TryGetProperty("seq", out var seqField) || seqField.ValueKind != JsonValueKind.Number || !seqField.TryGetInt64(out var seq))
        {
            refusal = "sessionId and seq are required";
        }
        else if (sessions.Find(idField.GetString()!) is { } session)
        {
            refusal = ResumeHere(state, user, session, seq);
        }
        else if (mirror.Enabled)
        {
            refusal = await TakeOverAsync(state, user, idField.GetString()!, seq, cancellationToken);
        }
        else
        {
            refusal = "unknown session";
        }
        if (refusal is not null)
        {
            GatewayLog.ResumeRefused(logger, state.Socket.Id, user.Id, refusal);
            state.Socket.Send(GatewayFrames.InvalidSession);
        }
        return null;
    }

    /// <summary>Resumes a session this node holds; null on success, else why not.</summary>
    private string? ResumeHere(GatewayConnection state, AuthenticatedUser user, GatewaySession session, long seq)
    {
        if (session.UserId != user.Id || session.CredentialHash != user.CredentialHash)
        {
            return "unknown session";
        }
        if (session.TryResume(state.Socket, seq, time.GetTimestamp(), sessions.ResumeWindow, out var previous) is { } reason)
        {
            return reason;
        }
        state.Identified(session);
        if (previous is not null && previous != state.Socket)
        {
            // A session has one socket: the one it was resumed away from is closed normally.
            previous.Close(1000, "Session resumed elsewhere");
        }
        GatewayLog.Resumed(logger, state.Socket.Id, user.Id, session.Id, seq);
        return null;
    }

    /// <summary>
    /// Takes over a session another node holds (or held, if it died): checks the mirror's owner and that the
    /// credential is still valid in the store, registers this node's copy so that it holds every dispatch from
    /// now on, claims the session, then replays what the old holder mirrored after <paramref name="seq"/> and
    /// continues with what was held. Null on success, else why not.
    /// </summary>
    private async Task<string?> TakeOverAsync(GatewayConnection state, AuthenticatedUser user, string sessionId, long seq, CancellationToken cancellationToken)
    {
        var cancellation = state.Socket.Aborted;
        var header = await mirror.ReadAsync(sessionId, cancellation);
        // Someone else's session is as unknown as a missing one: the answer tells nothing about it.
        if (header is null || header.UserId != user.Id || header.CredentialHash != user.CredentialHash)
        {
            return "unknown session";
        }
        if (seq < 1)
        {
            return $"seq {seq} below 1";
        }
        // The socket authenticated a moment ago, but a logout elsewhere may have been missed on the bus.
        if (!await credentials.IsCredentialValidAsync(user.CredentialHash, cancellationToken))
        {
            return "credential no longer valid";
        }
        var claimId = Guid.NewGuid();
        if (sessions.CreateForTakeOver(sessionId, user, claimId) is not { } session)
        {
            return "session busy on this node";
        }
        try
        {
            var claim = await mirror.ClaimAsync(sessionId, claimId, cancellation);
            var refusal = claim.Session is { } mirrored
                ? session.TryTakeOver(state.Socket, seq, mirrored, _options.ResumeHandoffTimeout)
                : claim.Refusal ?? "claim refused";
            if (refusal is not null)
            {
                sessions.End(session, refusal);
                return refusal;
            }
            state.Identified(session);
            GatewayLog.TookOver(logger, state.Socket.Id, user.Id, sessionId, seq, claim.Session!.LastSeq, claim.Session.HolderDied);
            return null;
        }
        catch
        {
            sessions.End(session, "take-over failed");
            throw;
        }
    }
}
