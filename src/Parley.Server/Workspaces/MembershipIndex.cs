using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Workspaces;

/// <summary>
/// This node's cache of who is a member of which workspace, for the users it serves: a user's workspaces are
/// loaded from the store when their first socket or gateway session opens here (<see cref="PinAsync"/>) and
/// dropped when the last one ends, so memory follows live sockets, not the database. Membership events on the
/// bus (local and remote) keep loaded users current. What it holds is also what this node tells the bus it serves
/// (<see cref="IBusInterest"/>): its pinned users, and every workspace one of them is a member of.
/// </summary>
/// <remarks>
/// Guarantees (see docs/operations.md, "Consistency"):
/// <list type="bullet">
/// <item>A decision that lets a user in (<see cref="IsMemberInStoreAsync"/>: joining, reading, any HTTP call) reads the
/// store, so it holds on every node as soon as the change that decided it returned.</item>
/// <item>The hot paths (a joined socket's send, a dispatch to a session) use the cache. A negative answer is confirmed
/// against the store (<see cref="IsMemberAsync"/>), so a member just added elsewhere is never refused; a removal is
/// applied by every live node before the call that made it returns (it is published with
/// <see cref="IMessageBus.PublishConfirmedAsync"/>).</item>
/// <item>A load or resync never undoes a change it did not see: the events that arrive while a user's memberships are
/// read from the store are applied on top of what was read.</item>
/// </list>
/// </remarks>
public sealed class MembershipIndex(IChatStore store, IBusInterest interest) : IChatEventListener, IBusGapRecovery
{
    /// <summary>How many users one resync query covers.</summary>
    private const int ResyncBatchSize = 500;

    private readonly Dictionary<long, Entry> _byUser = [];
    // Only loaded users: the workspaces' members that this node serves, which is all gateway routing needs.
    private readonly Dictionary<long, HashSet<long>> _loadedMembersByWorkspace = [];
    // Corrections a resync applied itself and then delivers to the other listeners: the index skips them.
    private readonly HashSet<Guid> _appliedCorrections = [];
    private readonly Lock _lock = new();

    private sealed class Entry
    {
        public int Pins;
        /// <summary>Moved on by every event for the user.</summary>
        public long Version;
        /// <summary>Null until loaded.</summary>
        public HashSet<long>? Workspaces;
        /// <summary>Store reads in flight for the user, and the events that came while they were.</summary>
        public int Reads;
        public List<(long WorkspaceId, bool Member)>? EventsDuringReads;
    }

    /// <summary>Number of users whose memberships are held (for tests and metrics).</summary>
    public int LoadedUsers
    {
        get
        {
            lock (_lock)
            {
                return _byUser.Count;
            }
        }
    }

    /// <summary>
    /// Keeps the user's memberships loaded until a matching <see cref="Unpin"/>; completes when they are loaded.
    /// </summary>
    public async Task PinAsync(long userId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out entry!))
            {
                _byUser[userId] = entry = new Entry();
                interest.Add(BusInterest.User(userId));
            }
            entry.Pins++;
            if (entry.Workspaces is not null)
            {
                return;
            }
        }
        await LoadAsync([userId], cancellationToken);
        // Before the socket's first store read: whatever is committed after that read is then sent to this node.
        await interest.RegisteredAsync();
    }

    /// <summary>Releases a pin; the user's memberships are dropped with the last one.</summary>
    public void Unpin(long userId)
    {
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out var entry) || --entry.Pins > 0)
            {
                return;
            }
            _byUser.Remove(userId);
            interest.Remove(BusInterest.User(userId));
            foreach (var workspaceId in entry.Workspaces ?? [])
            {
                RemoveLoadedMember(workspaceId, userId);
            }
        }
    }

    /// <summary>
    /// Reads the users' memberships from the store and installs them with every event that came during the read
    /// applied on top (an event is at least as new as the read, so a read never undoes a change it did not see).
    /// Returns the changes against what was held before, as events.
    /// </summary>
    private async Task<List<ChatEvent>> LoadAsync(IReadOnlyCollection<long> userIds, CancellationToken cancellationToken)
    {
        var reading = new Dictionary<long, Entry>();
        lock (_lock)
        {
            foreach (var userId in userIds)
            {
                if (_byUser.TryGetValue(userId, out var entry))
                {
                    entry.Reads++;
                    entry.EventsDuringReads ??= [];
                    reading[userId] = entry;
                }
            }
        }
        var changes = new List<ChatEvent>();
        if (reading.Count == 0)
        {
            return changes;
        }
        IReadOnlyList<(long WorkspaceId, long UserId)>? rows = null;
        try
        {
            rows = await store.ListMembershipsOfUsersAsync(reading.Keys, cancellationToken);
        }
        finally
        {
            var read = reading.Keys.ToDictionary(id => id, _ => new HashSet<long>());
            foreach (var (workspaceId, userId) in rows ?? [])
            {
                read[userId].Add(workspaceId);
            }
            lock (_lock)
            {
                foreach (var (userId, entry) in reading)
                {
                    // A failed read installs nothing: the entry stays as it was (unloaded: the store decides).
                    // An entry dropped meanwhile (unpinned, perhaps pinned again as another object) is left alone.
                    if (rows is not null && _byUser.GetValueOrDefault(userId) == entry)
                    {
                        var workspaces = read[userId];
                        foreach (var (workspaceId, member) in entry.EventsDuringReads!)
                        {
                            _ = member ? workspaces.Add(workspaceId) : workspaces.Remove(workspaceId);
                        }
                        Install(userId, entry, workspaces, changes);
                    }
                    if (--entry.Reads == 0)
                    {
                        entry.EventsDuringReads = null;
                    }
                }
            }
        }
        return changes;
    }

    private void Install(long userId, Entry entry, HashSet<long> workspaces, List<ChatEvent> changes)
    {
        var before = entry.Workspaces;
        if (before is not null)
        {
            foreach (var removed in before.Where(w => !workspaces.Contains(w)))
            {
                changes.Add(new MemberRemoved(removed, userId));
                RemoveLoadedMember(removed, userId);
            }
            changes.AddRange(workspaces.Where(w => !before.Contains(w)).Select(added => new MemberAdded(added, userId)));
        }
        entry.Workspaces = workspaces;
        foreach (var workspaceId in workspaces)
        {
            AddLoadedMember(workspaceId, userId);
        }
    }

    /// <summary>
    /// Reloads every held user from the store in batches and returns what this node had missed (Redis away, or a
    /// publisher that could not reach it), as events for the other listeners (unsubscribing removed members).
    /// Only on a thorough resync: per user, this is not a per-tick cost.
    /// </summary>
    public async Task<IReadOnlyList<ChatEvent>> RecoverAsync(BusRecovery kind, CancellationToken cancellationToken)
    {
        if (kind != BusRecovery.Thorough)
        {
            return [];
        }
        long[] users;
        lock (_lock)
        {
            users = [.. _byUser.Keys];
        }
        var corrections = new List<ChatEvent>();
        foreach (var batch in users.Chunk(ResyncBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            corrections.AddRange(await LoadAsync(batch, cancellationToken));
        }
        lock (_lock)
        {
            foreach (var correction in corrections)
            {
                _appliedCorrections.Add(correction.EventId);
            }
        }
        return corrections;
    }

    /// <summary>Whether the user is a member, read from the store: for every decision that lets a user in.</summary>
    public async Task<bool> IsMemberInStoreAsync(long workspaceId, long userId, CancellationToken cancellationToken) =>
        await store.GetMemberRoleAsync(workspaceId, userId, cancellationToken) is not null;

    /// <summary>
    /// Whether the user is a member, from the cache when it says yes, else confirmed against the store (a
    /// member added through another node may not have reached this node's cache yet).
    /// </summary>
    public async ValueTask<bool> IsMemberAsync(long workspaceId, long userId, CancellationToken cancellationToken)
    {
        long? version;
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out var entry))
            {
                version = null;
            }
            else if (entry.Workspaces?.Contains(workspaceId) == true)
            {
                return true;
            }
            else
            {
                version = entry.Version;
            }
        }
        if (!await IsMemberInStoreAsync(workspaceId, userId, cancellationToken))
        {
            return false;
        }
        lock (_lock)
        {
            // Learnt from the store: keep it, unless an event for the user came meanwhile (it is newer).
            if (version is { } seen && _byUser.TryGetValue(userId, out var entry) && entry.Version == seen && entry.Workspaces is not null)
            {
                entry.Workspaces.Add(workspaceId);
                AddLoadedMember(workspaceId, userId);
            }
        }
        return true;
    }

    /// <summary>
    /// The cache's answer alone, for per-dispatch checks of users this node serves (pinned, so loaded). Kept right
    /// by the membership events; a removal reaches it before the removing call returns.
    /// </summary>
    public bool IsMember(long workspaceId, long userId)
    {
        lock (_lock)
        {
            return _byUser.TryGetValue(userId, out var entry) && entry.Workspaces?.Contains(workspaceId) == true;
        }
    }

    /// <summary>A snapshot of the workspace's members that this node serves (those with sockets or sessions here).</summary>
    public long[] LoadedMembersOf(long workspaceId)
    {
        lock (_lock)
        {
            return _loadedMembersByWorkspace.TryGetValue(workspaceId, out var members) ? [.. members] : [];
        }
    }

    public void OnEvent(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case WorkspaceCreated created:
                Apply(created.EventId, created.Workspace.Id, created.Workspace.OwnerId, member: true);
                break;
            case MemberAdded added:
                Apply(added.EventId, added.Workspace, added.UserId, member: true);
                break;
            case MemberRemoved removed:
                Apply(removed.EventId, removed.Workspace, removed.UserId, member: false);
                break;
        }
    }

    private void Apply(Guid eventId, long workspaceId, long userId, bool member)
    {
        lock (_lock)
        {
            if (_appliedCorrections.Remove(eventId) || !_byUser.TryGetValue(userId, out var entry))
            {
                return;
            }
            entry.Version++;
            entry.EventsDuringReads?.Add((workspaceId, member));
            if (entry.Workspaces is null)
            {
                return;
            }
            if (member)
            {
                entry.Workspaces.Add(workspaceId);
                AddLoadedMember(workspaceId, userId);
            }
            else
            {
                entry.Workspaces.Remove(workspaceId);
                RemoveLoadedMember(workspaceId, userId);
            }
        }
    }

    private void AddLoadedMember(long workspaceId, long userId)
    {
        if (!_loadedMembersByWorkspace.TryGetValue(workspaceId, out var members))
        {
            _loadedMembersByWorkspace[workspaceId] = members = [];
            interest.Add(BusInterest.Workspace(workspaceId));
        }
        members.Add(userId);
    }

    private void RemoveLoadedMember(long workspaceId, long userId)
    {
        if (_loadedMembersByWorkspace.TryGetValue(workspaceId, out var members) && members.Remove(userId) && members.Count == 0)
        {
            _loadedMembersByWorkspace.Remove(workspaceId);
            interest.Remove(BusInterest.Workspace(workspaceId));
        }
    }
}
