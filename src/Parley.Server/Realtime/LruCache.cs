namespace Parley.Server.Realtime;

/// <summary>
/// A map that holds at most <see cref="Capacity"/> entries: making room drops the least recently used one, so a node
/// keeps what its current traffic uses, whatever the size of the database behind it. Safe to call concurrently;
/// every call is one short lock (a dictionary lookup and a list splice).
/// </summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> _entries;
    // Most recently used first.
    private readonly LinkedList<KeyValuePair<TKey, TValue>> _recency = new();
    private readonly Lock _lock = new();

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _entries = [];
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The value for <paramref name="key"/>, which becomes the most recently used; false when absent.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                value = default!;
                return false;
            }
            _recency.Remove(node);
            _recency.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
    }

    /// <summary>Adds or replaces the value of <paramref name="key"/>, dropping the least recently used entry when full.</summary>
    public void Set(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.Remove(key, out var existing))
            {
                _recency.Remove(existing);
            }
            else if (_entries.Count >= Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
            _entries[key] = _recency.AddFirst(KeyValuePair.Create(key, value));
        }
    }

    /// <summary>Drops the entry of <paramref name="key"/>; false when there was none.</summary>
    public bool Remove(TKey key)
    {
        lock (_lock)
        {
            if (!_entries.Remove(key, out var node))
            {
                return false;
            }
            _recency.Remove(node);
            return true;
        }
    }
}
