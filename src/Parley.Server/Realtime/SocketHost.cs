using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Parley.Protocol;
using Parley.Server.Operations;
using Parley.Server.Realtime.Transport;
using Parley.Server.Sessions;
using Parley.Server.Workspaces;

namespace Parley.Server.Realtime;

/// <summary>
/// Accepts and runs sockets for every protocol, so that authentication, the per-user quota, frame limits,
/// keep-alive pings, credential revocation and shutdown behave the same on all three.
/// </summary>
public sealed class SocketHost(
    ConnectionRegistry registry,
    CredentialMonitor credentials,
    MembershipIndex memberships,
    ParleyMetrics metrics,
    IOptions<RealtimeOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SocketHost> logger)
{
    private static readonly TimeSpan CloseFlushGrace = TimeSpan.FromMilliseconds(100);

    private readonly RealtimeOptions _options = options.Value;

    public async Task RunAsync(HttpContext context, ISocketProtocol protocol)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { message = "This endpoint accepts WebSocket upgrades only." });
            return;
        }
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = _options.PingInterval,
            KeepAliveTimeout = _options.EffectivePingTimeout,
        });
        var transport = context.Features.Get<TransportCaptureFeature>()?.Stream;
        var connection = new SocketConnection(socket, transport, AuthenticatedUser.From(context.User), context.Request.Path, _options, metrics, logger);
        // The credential was checked before the upgrade; a logout since then would reach no listener. So listen
        // first and check again (CredentialMonitor.WatchAsync): either the logout is heard or the check fails. The
        // watch also closes the socket when the credential expires or a resync finds it revoked.
        IDisposable? watch = null;
        try
        {
            watch = connection.User is null ? null : await credentials.WatchAsync(connection.User.CredentialHash, () => connection.Close(CloseCodes.Unauthorized, "Session ended"), connection.Aborted);
        }
        catch (Exception ex)
        {
            // The store could not answer: as the HTTP API's 500, a failure to retry, not a reason to log in again.
            SessionLog.SocketCheckFailed(logger, connection.Id, ex);
            connection.Close(CloseCodes.InternalError, "Internal error");
            await DrainAsync(connection);
            return;
        }
        using var watched = watch;
        if (watch is null)
        {
            protocol.RejectUnauthenticated(connection);
            connection.Close(CloseCodes.Unauthorized, "Authentication required");
            await DrainAsync(connection);
            return;
        }
        if (!registry.TryRegister(connection, _options.MaxSocketsPerUser))
        {
            connection.Close(CloseCodes.RateLimited, "Too many connections");
            await DrainAsync(connection);
            return;
        }
        metrics.SocketOpened(protocol.Name);
        RealtimeLog.Opened(logger, connection.Id, connection.User!.Id, connection.Path);
        using var expiry = WhenExpired(connection);
        try
        {
            // The user's memberships stay in this node's cache while they have a socket here (hot-path checks).
            await memberships.PinAsync(connection.User.Id, connection.Aborted);
            await protocol.OnOpenAsync(connection);
            await connection.RunReaderAsync(frame => HandleAsync(protocol, connection, frame));
        }
        finally
        {
            memberships.Unpin(connection.User.Id);
            registry.Unregister(connection);
            metrics.SocketClosed(protocol.Name);
            await protocol.OnClosedAsync(connection);
            await DrainAsync(connection);
            RealtimeLog.Closed(logger, connection.Id);
        }
    }

    /// <summary>A socket opened with a host JWT closes when the token does (4011); the client reconnects with a fresh one.</summary>
    private ITimer? WhenExpired(SocketConnection connection)
    {
        if (connection.User!.ExpiresAt is not { } expiresAt)
        {
            return null;
        }
        var remaining = expiresAt - time.GetUtcNow();
        return time.CreateTimer(
            static state => ((SocketConnection)state!).Close(CloseCodes.TokenExpired, "Token expired"),
            connection, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private async Task HandleAsync(ISocketProtocol protocol, SocketConnection connection, ReadOnlyMemory<byte> frame)
    {
        try
        {
            await protocol.OnFrameAsync(connection, frame);
        }
        catch (OperationCanceledException) when (connection.Aborted.IsCancellationRequested)
        {
            // The socket was aborted while its frame waited on the store: no one is left to answer, and no bug to count.
        }
        catch (Exception ex)
        {
            var failed = ex as FrameFailedException;
            metrics.HandlerFailed();
            RealtimeLog.HandlerFailed(logger, connection.Id, failed?.InnerException ?? ex);
            protocol.OnHandlerFailed(connection, failed?.RequestId);
        }
    }

    /// <summary>Lets the writer send what is queued and the close frame, then waits briefly for the client's close.</summary>
    private async Task DrainAsync(SocketConnection connection)
    {
        connection.Close((int)WebSocketCloseStatus.NormalClosure, "");
        await connection.WhenWriterDoneAsync();
        if (connection.Socket.State == WebSocketState.CloseSent)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.CloseTimeout);
                var scratch = new byte[256];
                while (connection.Socket.State == WebSocketState.CloseSent)
                {
                    await connection.Socket.ReceiveAsync(scratch, timeout.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }
        if (connection.Socket.State != WebSocketState.Closed)
        {
            // Aborting drops output the transport has not flushed yet, such as the close frame the framework
            // itself sends for invalid UTF-8 (1007); give it a moment to leave first.
            await Task.Delay(CloseFlushGrace);
            connection.Socket.Abort();
        }
        connection.Socket.Dispose();
    }

    /// <summary>Graceful stop: every socket gets 1001 after what is already queued for it.</summary>
    public void CloseAll()
    {
        foreach (var connection in registry.All)
        {
            connection.Close(CloseCodes.GoingAway, "Server shutting down");
        }
    }
}
