namespace Parley.Server.Realtime.Gateway;

internal sealed partial class GatewaySession
{
    /// <summary>The socket closed: keep buffering for a RESUME from now on.</summary>
    public void Detach(SocketConnection connection, long now)
    {
        lock (_gate)
        {
            if (_connection == connection)
            {
                _connection = null;
                _detachedAt = now;
                // The resume window starts now, here and in the mirror.
                TouchMirrorLocked();
            }
        }
    }

    /// <summary>A heartbeat: the session is alive, so its mirror must not expire.</summary>
    public void Touch()
    {
        lock (_gate)
        {
            TouchMirrorLocked();
        }
    }

    /// <summary>True when no socket is attached and the resume window has passed.</summary>
    public bool HasExpired(long now, TimeSpan window)
    {
        lock (_gate)
        {
            return _ended || (_connection is null && _held is null && time.GetElapsedTime(_detachedAt, now) >= window);
        }
    }

    /// <summary>
    /// Ends the session for good (expired, credential revoked, evicted): it can never resume, here or elsewhere.
    /// Returns the socket that was attached, if any, for callers that must close it.
    /// </summary>
    public SocketConnection? End()
    {
        lock (_gate)
        {
            var attached = _connection;
            if (!_ended && _ownsMirror)
            {
                mirror.Delete(Id);
            }
            EndLocked();
            return attached;
        }
    }

    /// <summary>
    /// Another node claimed the session (<paramref name="claim"/>): stop numbering, and mark the mirror released
    /// after the last dispatch this node numbered. Returns the socket that was attached, if any, to be closed.
    /// </summary>
    public SocketConnection? Release(Guid claim)
    {
        lock (_gate)
        {
            var previous = _connection;
            if (!_ended && _ownsMirror)
            {
                mirror.Release(Id, claim);
            }
            EndLocked();
            return previous;
        }
    }

    private void EndLocked()
    {
        _ended = true;
        _ownsMirror = false;
        _connection = null;
        _held = null;
        _takenOverKeys = null;
        _buffer.Clear();
    }

    private void TouchMirrorLocked()
    {
        if (_ownsMirror && !_ended)
        {
            mirror.Touch(Id);
        }
    }
}
