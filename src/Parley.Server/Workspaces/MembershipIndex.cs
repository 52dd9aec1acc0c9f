using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Workspaces;

/// <summary>
/// Who is a member of which workspace, in memory: loaded from the store at start-up and kept current by the
/// membership events on the bus (local and remote). It answers the per-event and per-dispatch membership
/// checks without a database query (the seed system queried once per socket per broadcast).
/// </summary>
public sealed class MembershipIndex(IChatStore store) : IChatEventListener, IBusGapRecovery
{
    private readonly Dictionary<long, HashSet<long>> _membersByWorkspace = [];
    private readonly Dictionary<long, HashSet<long>> _workspacesByUser = [];
    private readonly ReaderWriterLockSlim _lock = new();

    public async Task LoadAsync()
    {
        var memberships = await store.ListAllMembershipsAsync();
        _lock.EnterWriteLock();
        try
        {
            foreach (var (workspaceId, userId) in memberships)
            {
                AddUnlocked(workspaceId, userId);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Compares the index with the store and returns the membership changes this node missed, as events:
    /// delivering them updates the index and unsubscribes removed members' sockets.
    /// </summary>
    public async Task<IReadOnlyList<ChatEvent>> RecoverAsync(CancellationToken cancellationToken)
    {
        var stored = (await store.ListAllMembershipsAsync()).ToHashSet();
        var missed = new List<ChatEvent>();
        _lock.EnterReadLock();
        try
        {
            foreach (var (workspaceId, members) in _membersByWorkspace)
            {
                missed.AddRange(members.Where(userId => !stored.Contains((workspaceId, userId))).Select(userId => new MemberRemoved(workspaceId, userId)));
            }
            missed.AddRange(stored.Where(m => !(_membersByWorkspace.TryGetValue(m.WorkspaceId, out var members) && members.Contains(m.UserId)))
                .Select(m => new MemberAdded(m.WorkspaceId, m.UserId)));
        }
        finally
        {
            _lock.ExitReadLock();
        }
        return missed;
    }

    public bool IsMember(long workspaceId, long userId)
    {
        _lock.EnterReadLock();
        try
        {
            return _membersByWorkspace.TryGetValue(workspaceId, out var members) && members.Contains(userId);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>A snapshot of the workspace's member ids.</summary>
    public long[] MembersOf(long workspaceId)
    {
        _lock.EnterReadLock();
        try
        {
            return _membersByWorkspace.TryGetValue(workspaceId, out var members) ? [.. members] : [];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void OnEvent(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case WorkspaceCreated created:
                Add(created.Workspace.Id, created.Workspace.OwnerId);
                break;
            case MemberAdded added:
                Add(added.Workspace, added.UserId);
                break;
            case MemberRemoved removed:
                Remove(removed.Workspace, removed.UserId);
                break;
        }
    }

    private void Add(long workspaceId, long userId)
    {
        _lock.EnterWriteLock();
        try
        {
            AddUnlocked(workspaceId, userId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void AddUnlocked(long workspaceId, long userId)
    {
        if (!_membersByWorkspace.TryGetValue(workspaceId, out var members))
        {
            _membersByWorkspace[workspaceId] = members = [];
        }
        members.Add(userId);
        if (!_workspacesByUser.TryGetValue(userId, out var workspaces))
        {
            _workspacesByUser[userId] = workspaces = [];
        }
        workspaces.Add(workspaceId);
    }

    private void Remove(long workspaceId, long userId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_membersByWorkspace.TryGetValue(workspaceId, out var members))
            {
                members.Remove(userId);
            }
            if (_workspacesByUser.TryGetValue(userId, out var workspaces))
            {
                workspaces.Remove(workspaceId);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
