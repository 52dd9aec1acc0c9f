using System.Collections.Concurrent;
using Parley.Protocol.Direct;
using Parley.Server.Storage;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// Public profiles (username, display name, role) by user id, read from the store once per user. Direct
/// messages carry the sender's role, which the stored message does not: without this cache every delivery
/// would read the users table. The cache never goes stale because nothing changes a profile after
/// registration; an endpoint that ever does must evict here.
/// </summary>
internal sealed class UserProfileCache(IChatStore store)
{
    /// <summary>Past this many entries the cache starts over, so that memory stays bounded.</summary>
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<long, ConversationParticipant> _profiles = new();

    /// <summary>The user's profile, or null when no such user exists (not cached, so a later user can appear).</summary>
    public ValueTask<ConversationParticipant?> GetAsync(long userId) =>
        _profiles.TryGetValue(userId, out var profile)
            ? ValueTask.FromResult<ConversationParticipant?>(profile)
            : LoadAsync(userId);

    private async ValueTask<ConversationParticipant?> LoadAsync(long userId)
    {
        var user = await store.GetUserAsync(userId);
        if (user is null)
        {
            return null;
        }
        if (_profiles.Count >= MaxEntries)
        {
            _profiles.Clear();
        }
        var profile = new ConversationParticipant(user.Id, user.Username, user.DisplayName, user.Role);
        _profiles[userId] = profile;
        return profile;
    }
}
