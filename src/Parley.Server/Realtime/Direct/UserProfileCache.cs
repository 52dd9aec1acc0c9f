using Parley.Server.Chat;
using Microsoft.Extensions.Options;
using Parley.Protocol.Direct;
using Parley.Server.Fanout;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// Public profiles (username, display name, role) by user id, read from the store on a miss. Direct messages carry
/// the sender's role, which the stored message does not: without this cache every delivery would read the users
/// table. It holds at most <see cref="RealtimeOptions.ProfileCacheCapacity"/> profiles, the most recently used, so a
/// node keeps the profiles its traffic uses rather than one per user of the database.
/// </summary>
/// <remarks>
/// A profile the host changes (<c>POST /api/server/users</c>, the only change after registration) is dropped on every
/// node when its <see cref="UserProfileChanged"/> arrives, so the next use reads it again. A read that started before
/// the drop does not put its (maybe old) answer back: each drop moves a generation on, and a load keeps its answer
/// only if the generation it started in is still the current one.
/// </remarks>
internal sealed class UserProfileCache(ChatQueries queries, IOptions<RealtimeOptions> options) : IChatEventListener
{
    private readonly LruCache<long, ConversationParticipant> _profiles = new(options.Value.ProfileCacheCapacity);
    // Guards the generation and the drop or keep that goes with it (the cache has its own lock for the rest).
    private readonly Lock _changes = new();
    private long _generation;

    /// <summary>Profiles held now; at most <see cref="RealtimeOptions.ProfileCacheCapacity"/>.</summary>
    internal int Count => _profiles.Count;

    /// <summary>The user's profile, or null when no such user exists (not cached, so a later user can appear).</summary>
    public ValueTask<ConversationParticipant?> GetAsync(long userId, CancellationToken cancellationToken) =>
        _profiles.TryGet(userId, out var profile)
            ? ValueTask.FromResult<ConversationParticipant?>(profile)
            : LoadAsync(userId, cancellationToken);

    public void OnEvent(ChatEvent chatEvent)
    {
        if (chatEvent is UserProfileChanged changed)
        {
            lock (_changes)
            {
                _generation++;
                _profiles.Remove(changed.UserId);
            }
        }
    }

    private async ValueTask<ConversationParticipant?> LoadAsync(long userId, CancellationToken cancellationToken)
    {
        long generation;
        lock (_changes)
        {
            generation = _generation;
        }
        var user = await queries.GetUserAsync(userId, cancellationToken);
        if (user is null)
        {
            return null;
        }
        var profile = new ConversationParticipant(user.Id, user.Username, user.DisplayName, user.Role);
        lock (_changes)
        {
            if (_generation == generation)
            {
                _profiles.Set(userId, profile);
            }
        }
        return profile;
    }
}
