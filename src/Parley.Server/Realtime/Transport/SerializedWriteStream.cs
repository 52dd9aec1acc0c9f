namespace Parley.Server.Realtime.Transport;

/// <summary>
/// The upgraded connection's byte stream, shared by two writers: the framework's WebSocket (pings, pongs,
/// close frames) and <see cref="SocketConnection"/>'s batched data frames. Each write call carries whole
/// frames, so taking a lock per write keeps frames from interleaving on the wire.
/// </summary>
public sealed class SerializedWriteStream(Stream inner) : Stream
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count)
    {
        _writeLock.Wait();
        try
        {
            inner.Write(buffer, offset, count);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The uncontended case, by far the most common, allocates nothing and completes synchronously when the
        // transport accepts the bytes without waiting.
        if (_writeLock.Wait(0, cancellationToken))
        {
            ValueTask write;
            try
            {
                write = inner.WriteAsync(buffer, cancellationToken);
            }
            catch
            {
                _writeLock.Release();
                throw;
            }
            if (write.IsCompletedSuccessfully)
            {
                _writeLock.Release();
                return ValueTask.CompletedTask;
            }
            return ReleaseAfterAsync(write);
        }
        return WriteContendedAsync(buffer, cancellationToken);
    }

    private async ValueTask ReleaseAfterAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteContendedAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
