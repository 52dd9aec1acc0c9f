using Parley.Server.Chat;
using Microsoft.Extensions.Options;
using Parley.Protocol.Direct;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// Public profiles (username, display name, role) by user id, read from the store on a miss. Direct messages carry
/// the sender's role, which the stored message does not: without this cache every delivery would read the users
/// table. It holds at most <see cref="RealtimeOptions.ProfileCacheCapacity"/> profiles, the most recently used, so a
/// node keeps the profiles its traffic uses rather than one per user of the database.
/// </summary>
/// <remarks>
/// A profile the host changes (<c>POST /api/server/users</c>) is seen here once its entry has been evicted or the node
/// restarted; nothing else changes a profile after registration.
/// </remarks>
internal sealed class UserProfileCache(ChatQueries queries, IOptions<RealtimeOptions> options)
{
    private readonly LruCache<long, ConversationParticipant> _profiles = new(options.Value.ProfileCacheCapacity);

    /// <summary>Profiles held now; at most <see cref="RealtimeOptions.ProfileCacheCapacity"/>.</summary>
    internal int Count => _profiles.Count;

    /// <summary>The user's profile, or null when no such user exists (not cached, so a later user can appear).</summary>
    public ValueTask<ConversationParticipant?> GetAsync(long userId, CancellationToken cancellationToken) =>
        _profiles.TryGet(userId, out var profile)
            ? ValueTask.FromResult<ConversationParticipant?>(profile)
            : LoadAsync(userId, cancellationToken);

    private async ValueTask<ConversationParticipant?> LoadAsync(long userId, CancellationToken cancellationToken)
    {
        var user = await queries.GetUserAsync(userId, cancellationToken);
        if (user is null)
        {
            return null;
        }
        var profile = new ConversationParticipant(user.Id, user.Username, user.DisplayName, user.Role);
        _profiles.Set(userId, profile);
        return profile;
    }
}
