namespace Parley.Client.Tests.Infrastructure;

/// <summary>Records what one C# event of a thin connection raises, for tests to wait on (never to sleep on).</summary>
public sealed class EventLog<T>
{
    private readonly List<T> _items = [];

    /// <summary>A log subscribed to an event: <c>EventLog&lt;X&gt;.Of(h =&gt; connection.Something += h)</c>.</summary>
    public static EventLog<T> Of(Action<EventHandler<T>> subscribe)
    {
        var log = new EventLog<T>();
        subscribe((_, item) => log.Add(item));
        return log;
    }

    public List<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    /// <summary>Waits until <paramref name="count"/> items were recorded; returns them all.</summary>
    public async Task<List<T>> WaitForCountAsync(int count, string what)
    {
        await ClientEvents.Eventually(() => Items.Count >= count, what);
        return Items;
    }

    /// <summary>Waits for the first item that matches.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, string what)
    {
        await ClientEvents.Eventually(() => Items.Any(match), what);
        return Items.First(match);
    }
}
