using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Realtime.Chat;

/// <summary>
/// The sockets of this node subscribed to one channel, and the channel's sequencer: <c>new_message</c>
/// frames go out strictly in <c>seq</c> order, once each. A frame that arrives ahead of a missing seq waits;
/// if the gap persists (a publication lost or delayed), <see cref="ChannelHub"/> fills it from the store.
/// Everything happens under one lock per channel, and delivering only enqueues, so the lock is short.
/// </summary>
internal sealed class ChannelSubscribers(ChannelRecord channel)
{
    private readonly Lock _gate = new();
    // Replaced, never mutated: a delivery iterates a snapshot, so a subscriber that leaves while a broadcast
    // runs (even on the same thread) cannot break the iteration.
    private IChannelSubscriber[] _subscribers = [];
    private readonly SortedDictionary<long, (byte[] Frame, RequestOrigin? Origin)> _waiting = [];
    private long? _lastSeq;

    public ChannelRecord Channel { get; } = channel;

    public bool GapFillScheduled { get; set; }

    public void Add(IChannelSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscriber];
        }
    }

    /// <summary>Removes a subscriber; true when none is left.</summary>
    public bool Remove(IChannelSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscriber)];
            return _subscribers.Length == 0;
        }
    }

    /// <summary>
    /// Sets the seq delivery starts after, read from the store after the first subscriber subscribed, so
    /// that every later message arrives here. Frames that arrived before it are kept if newer.
    /// </summary>
    public void Initialize(long lastSeq)
    {
        lock (_gate)
        {
            if (_lastSeq is not null)
            {
                return;
            }
            _lastSeq = lastSeq;
            foreach (var old in _waiting.Keys.Where(seq => seq <= lastSeq).ToList())
            {
                _waiting.Remove(old);
            }
            DrainLocked();
        }
    }

    /// <summary>Offers a message (sent by <paramref name="origin"/>, if known); returns true when it now waits behind a gap.</summary>
    public bool Offer(long seq, byte[] frame, RequestOrigin? origin = null)
    {
        lock (_gate)
        {
            if (_lastSeq is { } last && seq <= last)
            {
                return false;
            }
            if (seq == _lastSeq + 1 && _waiting.Count == 0)
            {
                // The usual case, the next seq with nothing waiting: straight out, without the waiting room.
                _lastSeq = seq;
                DeliverLocked(seq, frame, origin);
                return false;
            }
            _waiting.TryAdd(seq, (frame, origin));
            if (_lastSeq is null)
            {
                return false;
            }
            DrainLocked();
            return _waiting.Count > 0;
        }
    }

    /// <summary>The newest seq delivered here, or null before initialization.</summary>
    public long? LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _lastSeq;
            }
        }
    }

    /// <summary>
    /// The missing range (after, before), both exclusive, while a gap exists: <c>before</c> is the first
    /// waiting seq, so the range always holds at least one seq.
    /// </summary>
    public (long After, long Before)? Gap()
    {
        lock (_gate)
        {
            return _lastSeq is { } last && _waiting.Count > 0 ? (last, _waiting.Keys.First()) : null;
        }
    }

    /// <summary>
    /// Gives up on the seqs up to <paramref name="through"/> that the store lacks (deleted before anyone here
    /// saw them): each is skipped only when it is neither waiting here nor in <paramref name="stored"/> (just
    /// offered), so delivery never moves past a frame that is still to be delivered.
    /// </summary>
    public void SkipAbsent(long through, IReadOnlySet<long> stored)
    {
        lock (_gate)
        {
            while (_lastSeq is { } last && last < through)
            {
                var next = last + 1;
                if (_waiting.ContainsKey(next))
                {
                    DrainLocked();
                }
                else if (stored.Contains(next))
                {
                    // Offered but not waiting: it can only have been delivered meanwhile; nothing to skip.
                    return;
                }
                else
                {
                    _lastSeq = next;
                }
            }
            DrainLocked();
        }
    }

    private void DrainLocked()
    {
        while (_waiting.Count > 0)
        {
            var next = _lastSeq!.Value + 1;
            if (!_waiting.Remove(next, out var waiting))
            {
                return;
            }
            _lastSeq = next;
            DeliverLocked(next, waiting.Frame, waiting.Origin);
        }
    }

    private void DeliverLocked(long seq, byte[] frame, RequestOrigin? origin)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.DeliverMessage(Channel.Id, seq, frame, origin);
        }
    }

    public void Broadcast(byte[] frame, bool droppable, long? exceptUserId = null, Guid? exceptSocketId = null)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                if (subscriber.UserId != exceptUserId && subscriber.SocketId != exceptSocketId)
                {
                    subscriber.Deliver(Channel.Id, frame, droppable);
                }
            }
        }
    }

    public IChannelSubscriber[] OfUser(long userId)
    {
        lock (_gate)
        {
            return [.. _subscribers.Where(s => s.UserId == userId)];
        }
    }
}
