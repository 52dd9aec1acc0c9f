using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Protocol;
using Parley.Server.Chat;
using Parley.Protocol.Gateway;
using Parley.Server.Sessions;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// <c>/gateway</c>: Discord-style membership-aware events. HELLO, IDENTIFY → READY, HEARTBEAT → HEARTBEAT_ACK,
/// RESUME, and dispatches <c>{t, d, s}</c> from the <see cref="GatewayHub"/>. Client mistakes close the socket
/// with the gateway's close codes (this socket has no error event); identity comes only from the socket's
/// authentication, never from the frame.
/// </summary>
internal sealed partial class GatewaySocketProtocol(
    GatewaySessionRegistry sessions,
    IGatewaySessionMirror mirror,
    SessionService credentials,
    ChatQueries queries,
    ChatService chat,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewaySocketProtocol> logger) : ISocketProtocol
{
    private readonly GatewayOptions _options = options.Value;

    public string Name => "gateway";

    /// <summary>The gateway answers an unauthenticated socket with the 4001 close alone, no frame.</summary>
    public void RejectUnauthenticated(SocketConnection connection)
    {
    }

    public Task OnOpenAsync(SocketConnection connection)
    {
        connection.ProtocolState = new GatewayConnection(connection, _options, time, logger);
        connection.Send(GatewayFrames.Hello(_options.HeartbeatInterval));
        return Task.CompletedTask;
    }

    /// <summary>A server fault: close with 1011; the client reconnects and RESUMEs without losing dispatches.</summary>
    public void OnHandlerFailed(SocketConnection connection, string? requestId) =>
        ((GatewayConnection)connection.ProtocolState!).Close(CloseCodes.InternalError, "Internal error", logger);

    public Task OnClosedAsync(SocketConnection connection)
    {
        if (connection.ProtocolState is GatewayConnection state)
        {
            state.Dispose();
            state.Session?.Detach(connection, time.GetTimestamp());
        }
        return Task.CompletedTask;
    }

    public async Task OnFrameAsync(SocketConnection connection, ReadOnlyMemory<byte> frame)
    {
        var state = (GatewayConnection)connection.ProtocolState!;
        if (!state.Rate.TryRecord())
        {
            state.Close(CloseCodes.RateLimited, "Rate limited", logger);
            return;
        }
        if (frame.Length > _options.MaxPayloadBytes)
        {
            state.Close(CloseCodes.DecodeError, "Payload too large", logger);
            return;
        }
        await Dispatcher.DispatchAsync(state, frame, connection.Aborted);
    }

    // Built on first use: a field initializer cannot name the instance handlers. No requestId: every op is answered
    // by its own op (docs/protocol.md, "Request ids").
    private FrameDispatcher<GatewayConnection> Dispatcher => _dispatcher ??= new(
        "op",
        readsRequestId: false,
        new Dictionary<string, FrameHandler<GatewayConnection>>
        {
            [GatewayOps.Identify] = (state, frame, _, cancellationToken) =>
                state.Session is null ? IdentifyAsync(state, Data(frame), cancellationToken) : AlreadyIdentified(state),
            [GatewayOps.Resume] = (state, frame, _, cancellationToken) =>
                state.Session is null ? ResumeAsync(state, Data(frame), cancellationToken) : AlreadyIdentified(state),
            [GatewayOps.Heartbeat] = (state, _, _, _) => Heartbeat(state),
        },
        new GatewayFrameErrors(logger));

    private FrameDispatcher<GatewayConnection>? _dispatcher;

    private static readonly Task<ChatError?> Handled = Task.FromResult<ChatError?>(null);

    private static JsonElement Data(JsonElement frame) => frame.TryGetProperty("d", out var d) ? d : default;

    private Task<ChatError?> Heartbeat(GatewayConnection state)
    {
        if (state.Session is null)
        {
            // Before IDENTIFY (or RESUME) only those two are allowed.
            state.Close(CloseCodes.NotAuthenticated, "Not authenticated", logger);
            return Handled;
        }
        state.HeartbeatReceived();
        state.Session.Touch();
        state.Socket.Send(GatewayFrames.HeartbeatAck);
        return Handled;
    }

    private Task<ChatError?> AlreadyIdentified(GatewayConnection state)
    {
        state.Close(CloseCodes.AlreadyAuthenticated, "Already authenticated", logger);
        return Handled;
    }
}
