using Parley.Protocol.Chat;

namespace Parley.Client.Tests.Infrastructure;

/// <summary>Records what a <see cref="ParleyClient"/> raises, for tests to poll (never to sleep on).</summary>
public sealed class ClientEvents
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly List<ChatMessage> _messages = [];
    private readonly List<ParleyStateChangedEventArgs> _states = [];
    private readonly List<object> _others = [];

    public ClientEvents(ParleyClient client)
    {
        client.MessageReceived += (_, e) => Add(_messages, e.Message);
        client.StateChanged += (_, e) => Add(_states, e);
        client.UserTyping += (_, e) => Add(_others, e);
        client.UserStoppedTyping += (_, e) => Add(_others, e);
        client.MessageRead += (_, e) => Add(_others, e);
        client.MessageUpdated += (_, e) => Add(_others, e);
        client.PresenceChanged += (_, e) => Add(_others, e);
        client.ErrorReceived += (_, e) => Add(_others, e);
        client.JoinedChannel += (_, e) => Add(_others, e);
        client.LeftChannel += (_, e) => Add(_others, e);
        client.ReplayTruncated += (_, e) => Add(_others, e);
        client.EventHandlerFailed += (_, e) => Add(_others, e);
    }

    public List<ChatMessage> Messages => Snapshot(_messages);

    public List<ParleyStateChangedEventArgs> States => Snapshot(_states);

    public List<object> Others => Snapshot(_others);

    public List<long> Seqs(long channelId) => [.. Messages.Where(m => m.ChannelId == channelId).Select(m => m.Seq)];

    /// <summary>Polls <paramref name="condition"/> until it holds, or fails after <paramref name="timeout"/>.</summary>
    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }
            await Task.Delay(20);
        }
    }

    private static void Add<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }

    private static List<T> Snapshot<T>(List<T> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }
}
