namespace KestrelBroadcast;

/// <summary>
/// The members of one group as an immutable array swapped on join/leave, so that a broadcast iterates a
/// snapshot without taking a lock.
/// </summary>
public sealed class BroadcastGroup
{
    private BroadcastClient[] _members = [];

    public void Add(BroadcastClient client) => Update(members => [.. members, client]);

    public void Remove(BroadcastClient client) => Update(members => [.. members.Where(m => m != client)]);

    public void Broadcast(byte[] frame)
    {
        foreach (var member in Volatile.Read(ref _members))
        {
            member.Enqueue(frame);
        }
    }

    private void Update(Func<BroadcastClient[], BroadcastClient[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _members);
            if (Interlocked.CompareExchange(ref _members, change(current), current) == current)
            {
                return;
            }
        }
    }
}
