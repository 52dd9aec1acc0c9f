using Parley.Server.Fanout;

namespace Parley.Server.Tests.Fanout;

/// <summary>A listener that records every event it hears, in order.</summary>
public sealed class RecordingListener : IChatEventListener
{
    private readonly List<ChatEvent> _events = [];

    public void OnEvent(ChatEvent chatEvent)
    {
        lock (_events)
        {
            _events.Add(chatEvent);
        }
    }

    public List<ChatEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Events.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {Events.Count} of {count} events arrived.");
            }
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until an event matching <paramref name="match"/> has been heard.</summary>
    public async Task WaitForAsync(Func<ChatEvent, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!Events.Any(match))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching event among the {Events.Count} heard.");
            }
            await Task.Delay(10);
        }
    }
}
