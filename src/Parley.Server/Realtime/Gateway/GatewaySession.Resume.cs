namespace Parley.Server.Realtime.Gateway;

internal sealed partial class GatewaySession
{
    /// <summary>
    /// Attaches a reconnected socket and replays, in order, every buffered dispatch after <paramref name="seq"/>;
    /// then live dispatches follow. Null when the session cannot resume from there (a reason otherwise),
    /// with the socket that was attached before, if any, in <paramref name="previous"/>.
    /// </summary>
    public string? TryResume(SocketConnection connection, long seq, long now, TimeSpan window, out SocketConnection? previous)
    {
        previous = null;
        lock (_gate)
        {
            if (_ended || _held is not null)
            {
                return "session ended or not ready";
            }
            if (_connection is null && time.GetElapsedTime(_detachedAt, now) >= window)
            {
                return "resume window passed";
            }
            var oldest = _buffer.Count > 0 ? _buffer.Peek().Seq : _lastSeq + 1;
            if (seq < 1 || seq > _lastSeq || seq + 1 < oldest)
            {
                return $"seq {seq} outside {oldest - 1}..{_lastSeq}";
            }
            previous = _connection;
            _connection = connection;
            TouchMirrorLocked();
            foreach (var (s, dispatch) in _buffer)
            {
                if (s > seq && IsVisible(dispatch))
                {
                    connection.Send(dispatch.Frame(s));
                }
            }
            return null;
        }
    }

    /// <summary>
    /// Completes a take-over from another node (this copy was created with a <see cref="ClaimId"/> and has held
    /// every dispatch since): continues the numbering from <paramref name="mirrored"/>, attaches the socket,
    /// replays in order every mirrored dispatch after <paramref name="seq"/>, then numbers the held dispatches the
    /// old holder had not numbered. Null on success, else why the session cannot resume; the old holder has let
    /// go either way, so this copy now owns the mirror (and deletes it if it then ends).
    /// </summary>
    /// <param name="connection">The socket that sent RESUME.</param>
    /// <param name="seq">The last <c>s</c> the client received.</param>
    /// <param name="mirrored">The session as the old holder left it.</param>
    /// <param name="lateEventWindow">
    /// How long to recognize an event the old holder numbered that reaches this node late, so it is not sent twice.
    /// </param>
    public string? TryTakeOver(SocketConnection connection, long seq, MirroredSession mirrored, TimeSpan lateEventWindow)
    {
        lock (_gate)
        {
            if (_ended || _held is null || ClaimId is not { } claim)
            {
                return "session ended";
            }
            mirror.Adopt(Id, claim);
            _ownsMirror = true;
            if (_heldOverflowed)
            {
                return "too many dispatches during the hand-off";
            }
            var oldest = mirrored.Dispatches.Count > 0 ? mirrored.Dispatches[0].Seq : mirrored.LastSeq + 1;
            if (seq < 1 || seq > mirrored.LastSeq || seq + 1 < oldest)
            {
                return mirrored.HolderDied && seq > mirrored.LastSeq
                    ? $"seq {seq} is past what the dead holder mirrored ({mirrored.LastSeq})"
                    : $"seq {seq} outside {oldest - 1}..{mirrored.LastSeq}";
            }
            _lastSeq = mirrored.LastSeq;
            _takenOverKeys = [];
            foreach (var entry in mirrored.Dispatches.TakeLast(bufferSize))
            {
                _buffer.Enqueue(entry);
                _takenOverKeys.Add(entry.Dispatch.Key);
            }
            _takenOverKeysUntil = time.GetTimestamp() + (long)(lateEventWindow.TotalSeconds * time.TimestampFrequency);
            _connection = connection;
            foreach (var (s, dispatch) in _buffer)
            {
                if (s > seq && IsVisible(dispatch))
                {
                    connection.Send(dispatch.Frame(s));
                }
            }
            var held = _held;
            _held = null;
            foreach (var dispatch in held)
            {
                DeliverLocked(dispatch);
            }
            return null;
        }
    }
}
