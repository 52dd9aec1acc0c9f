using System.Buffers;
using System.Net.WebSockets;

namespace Parley.Server.Realtime;

public sealed partial class SocketConnection : IThreadPoolWorkItem
{
    /// <summary>
    /// Bytes gathered into one transport write. Under load a socket's queue holds many frames by the time its
    /// flush runs; writing them together costs one flush and about one system call instead of one per frame.
    /// </summary>
    private const int BatchBytes = 16 * 1024;

    private void ScheduleFlush() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    void IThreadPoolWorkItem.Execute() => _ = FlushAsync();

    /// <summary>
    /// Writes what is queued, batch by batch, until the queue is empty (a later send schedules the next flush)
    /// or the close frame has been sent. Only one flush runs at a time, which keeps frames in queue order.
    /// </summary>
    private async Task FlushAsync()
    {
        byte[]? batch = null;
        try
        {
            while (true)
            {
                OutboundFrame? close = null;
                byte[]? single = null;
                var length = 0;
                lock (_sync)
                {
                    var pending = _pending;
                    while (pending is { Count: > 0 })
                    {
                        var next = pending.Peek();
                        if (next.IsClose)
                        {
                            if (length == 0 && single is null)
                            {
                                close = pending.Dequeue();
                            }
                            break;
                        }
                        var payload = next.Payload!;
                        if (_transport is null)
                        {
                            // No captured transport: frames go one by one through the WebSocket.
                            single = payload;
                        }
                        else
                        {
                            var size = WebSocketFrameHeader.SizeFor(payload.Length) + payload.Length;
                            if (length + size > (batch?.Length ?? 0))
                            {
                                if (length > 0)
                                {
                                    break;
                                }
                                if (batch is not null)
                                {
                                    ArrayPool<byte>.Shared.Return(batch);
                                }
                                batch = ArrayPool<byte>.Shared.Rent(Math.Max(BatchBytes, size));
                            }
                            length += WebSocketFrameHeader.Write(batch.AsSpan(length), payload.Length);
                            payload.CopyTo(batch.AsSpan(length));
                            length += payload.Length;
                        }
                        pending.Dequeue();
                        _queuedFrames--;
                        _queuedBytes -= payload.Length;
                        if (single is not null)
                        {
                            break;
                        }
                    }
                    if (length == 0 && single is null && close is null)
                    {
                        _flushScheduled = false;
                        return;
                    }
                }
                if (!CanSendData)
                {
                    // The framework closed the socket itself (a protocol error from the client): nothing more may follow its close frame.
                    FinishWriter();
                    return;
                }
                if (length > 0)
                {
                    await _transport!.WriteAsync(batch.AsMemory(0, length));
                }
                else if (single is not null)
                {
                    await Socket.SendAsync(single.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
                else if (close is { } frame)
                {
                    await Socket.CloseOutputAsync((WebSocketCloseStatus)frame.CloseCode, frame.CloseReason, _aborted.Token);
                    FinishWriter();
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            // Whatever the transport throws (aborted, reset, disposed), this socket is done; the reader notices too.
            RealtimeLog.TransportError(_logger, Id, ex.Message);
            lock (_sync)
            {
                _closeRequested = true;
                _pending?.Clear();
            }
            FinishWriter();
            _aborted.Cancel();
        }
        finally
        {
            if (batch is not null)
            {
                ArrayPool<byte>.Shared.Return(batch);
            }
        }
    }

    private bool CanSendData => Socket.State is WebSocketState.Open or WebSocketState.CloseReceived;
}
