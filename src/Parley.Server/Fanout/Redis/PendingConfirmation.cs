namespace Parley.Server.Fanout.Redis;

/// <summary>
/// The confirmations of one event published with <see cref="RedisMessageBus.PublishConfirmedAsync"/>. Who must
/// confirm is known only once Redis says which nodes it sent the event to, and a fast node may confirm before
/// that: confirmations are kept until the expected nodes are known.
/// </summary>
internal sealed class PendingConfirmation
{
    private readonly HashSet<Guid> _confirmed = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<Guid>? _expected;

    public Task Completed => _completed.Task;

    /// <summary>Expected nodes that have not confirmed (all of them while they are not known).</summary>
    public int Missing
    {
        get
        {
            lock (_confirmed)
            {
                return _expected is null ? 0 : _expected.Count(id => !_confirmed.Contains(id));
            }
        }
    }

    public void Expect(IEnumerable<Guid> nodes)
    {
        lock (_confirmed)
        {
            _expected = [.. nodes];
            CompleteIfDone();
        }
    }

    public void Confirm(Guid nodeId)
    {
        lock (_confirmed)
        {
            _confirmed.Add(nodeId);
            CompleteIfDone();
        }
    }

    private void CompleteIfDone()
    {
        if (_expected is not null && _expected.IsSubsetOf(_confirmed))
        {
            _completed.TrySetResult();
        }
    }
}
