using System.Net.WebSockets;

namespace Parley.Client;

// Keeping the session alive: HEARTBEAT every heartbeat_interval of HELLO, from IDENTIFY or RESUME on.
public sealed partial class ParleyGatewayConnection
{
    /// <summary>
    /// One <c>HEARTBEAT</c> now, answered by <see cref="HeartbeatAcknowledged"/>. They are sent by themselves
    /// after IDENTIFY or RESUME; before either the server closes the socket with 4003.
    /// </summary>
    public Task HeartbeatAsync(CancellationToken cancellationToken = default) => SendAsync("""{"op":"HEARTBEAT"}"""u8.ToArray(), cancellationToken);

    /// <summary>
    /// (Re)starts the heartbeat loop once the session is asked for: the server counts a HEARTBEAT before
    /// IDENTIFY or RESUME as an op out of turn (4003), and restarts its 1.5 × interval deadline at either.
    /// </summary>
    private void StartHeartbeats()
    {
        CancellationTokenSource beats;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _heartbeats?.Cancel();
            _heartbeats = beats = new CancellationTokenSource();
        }
        _ = HeartbeatLoopAsync(beats.Token);
    }

    private void StopHeartbeats()
    {
        lock (_gate)
        {
            _heartbeats?.Cancel();
            _heartbeats = null;
        }
    }

    /// <remarks>
    /// The loop's source is never disposed: one without a timer holds nothing to release, and it may be
    /// cancelled from another thread at any time.
    /// </remarks>
    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        try
        {
            var interval = await _hello.Task.WaitAsync(stopping).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(interval, stopping).ConfigureAwait(false);
                await HeartbeatAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Stopped, or the socket is gone: nothing left to keep alive.
        }
    }
}
