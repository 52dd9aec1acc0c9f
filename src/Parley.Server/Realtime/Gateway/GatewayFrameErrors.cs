using Parley.Protocol;
using Parley.Server.Chat;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// <c>/gateway</c>'s answers to a frame it does not handle. The gateway has no error event: what is not a payload
/// closes with 4002, an op before identifying with 4003, a refused identity with 4001; an unknown op after identifying
/// is ignored, so that newer clients still work.
/// </summary>
internal sealed class GatewayFrameErrors(ILogger logger) : IFrameErrors<GatewayConnection>
{
    /// <summary>The identity in IDENTIFY is not the socket's, or the user is gone: closes with 4001.</summary>
    public static readonly ChatError AuthenticationFailed = new(ErrorCodes.Unauthorized, "Authentication failed");

    public ValueTask NotJsonAsync(GatewayConnection state) => Close(state, CloseCodes.DecodeError, "Decode error");

    public ValueTask NoRouteAsync(GatewayConnection state, string? requestId) => Close(state, CloseCodes.DecodeError, "Decode error");

    public ValueTask UnknownRouteAsync(GatewayConnection state, string route, string? requestId)
    {
        if (state.Session is null)
        {
            return Close(state, CloseCodes.NotAuthenticated, "Not authenticated");
        }
        // Ignored, though still counted against the rate.
        GatewayLog.UnknownOp(logger, state.Socket.Id, route.Length <= 64 ? route : route[..64]);
        return ValueTask.CompletedTask;
    }

    public ValueTask RefuseAsync(GatewayConnection state, ChatError error, string? requestId) =>
        error.Code == ErrorCodes.Unauthorized
            ? Close(state, CloseCodes.Unauthorized, error.Message)
            // No other refusal is a client's mistake here: a server fault, after which the client RESUMEs.
            : Close(state, CloseCodes.InternalError, "Internal error");

    private ValueTask Close(GatewayConnection state, int code, string reason)
    {
        state.Close(code, reason, logger);
        return ValueTask.CompletedTask;
    }
}
