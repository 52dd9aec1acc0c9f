using System.Net.WebSockets;

namespace Parley.Client.Internal;

/// <summary>
/// One open WebSocket: writes are serialized (a <see cref="ClientWebSocket"/> allows one send at a time) and
/// <see cref="Lost"/> fires when the receive loop ends, whatever the reason.
/// </summary>
internal sealed class SocketSession(ClientWebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private long _requests;

    public ClientWebSocket Socket { get; } = socket;

    public CancellationToken Lost => _lost.Token;

    /// <summary>True once the server sent <c>connected</c> on this socket.</summary>
    public bool IsReady { get; set; }

    /// <summary>
    /// (ext) A fresh <c>requestId</c> for a request written to this socket: a counter, so unique on the connection,
    /// which is all the server asks (it copies the id back onto the answer on this socket only).
    /// </summary>
    public string NextRequestId() => "r" + Interlocked.Increment(ref _requests).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Lost);
        await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Starts the closing handshake; the receive loop ends when the server answers.</summary>
    public async Task CloseOutputAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _writeLock.WaitAsync(cts.Token).ConfigureAwait(false);
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            Socket.Abort();
        }
    }

    public void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        MarkLost();
        Socket.Dispose();
        _lost.Dispose();
        _writeLock.Dispose();
    }
}
