namespace Parley.Server.Fanout.Redis;

/// <summary>The nodes that still have to confirm one event published with <see cref="RedisMessageBus.PublishConfirmedAsync"/>.</summary>
internal sealed class PendingConfirmation(HashSet<Guid> expected)
{
    private readonly HashSet<Guid> _waitingFor = [.. expected];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completed => _completed.Task;

    public int Missing
    {
        get
        {
            lock (_waitingFor)
            {
                return _waitingFor.Count;
            }
        }
    }

    public void Confirm(Guid nodeId)
    {
        lock (_waitingFor)
        {
            if (_waitingFor.Remove(nodeId) && _waitingFor.Count == 0)
            {
                _completed.TrySetResult();
            }
        }
    }
}
