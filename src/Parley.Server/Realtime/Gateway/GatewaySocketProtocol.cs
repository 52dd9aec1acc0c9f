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
    public void OnHandlerFailed(SocketConnection connection) =>
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
        // The store calls of a frame end when the socket is aborted: nobody is left to answer.
        var cancellationToken = connection.Aborted;
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
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, FrameFields.ParseOptions);
        }
        catch (JsonException)
        {
            state.Close(CloseCodes.DecodeError, "Decode error", logger);
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (FrameFields.Type(root, "op") is not { } op)
            {
                state.Close(CloseCodes.DecodeError, "Decode error", logger);
                return;
            }
            var data = root.TryGetProperty("d", out var d) ? d : default;
            if (state.Session is null)
            {
                switch (op)
                {
                    case GatewayOps.Identify:
                        await IdentifyAsync(state, data, cancellationToken);
                        break;
                    case GatewayOps.Resume:
                        await ResumeAsync(state, data, cancellationToken);
                        break;
                    default:
                        state.Close(CloseCodes.NotAuthenticated, "Not authenticated", logger);
                        break;
                }
                return;
            }
            switch (op)
            {
                case GatewayOps.Heartbeat:
                    state.HeartbeatReceived();
                    state.Session.Touch();
                    connection.Send(GatewayFrames.HeartbeatAck);
                    break;
                case GatewayOps.Identify or GatewayOps.Resume:
                    state.Close(CloseCodes.AlreadyAuthenticated, "Already authenticated", logger);
                    break;
                default:
                    // Unknown ops are ignored (and counted against the rate), so that newer clients still work.
                    GatewayLog.UnknownOp(logger, connection.Id, op.Length <= 64 ? op : op[..64]);
                    break;
            }
        }
    }
}
