using Parley.Server.Chat;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Parley.Server.Realtime;
using Parley.Server.Realtime.Direct;
using Parley.Server.Storage;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// The per-node profile cache holds at most <c>Realtime:ProfileCacheCapacity</c> profiles, the most recently used, over
/// a real SQLite store. Which ones it holds shows through a profile changed in the store behind it: a held one still
/// answers the old name, a dropped one is read again.
/// </summary>
public sealed class UserProfileCacheTests : IAsyncLifetime
{
    private const int Capacity = 3;
    private static readonly DateTime T0 = new(2026, 11, 26, 17, 3, 0, DateTimeKind.Utc);
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-profiles-").FullName;
    private SqliteChatStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteChatStore($"Data Source={Path.Combine(_folder, "profiles.db")}", Options.Create(new StorageOptions()));
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TheCacheNeverHoldsMoreThanItsCapacityAndDropsTheLeastRecentlyUsed()
    {
        var cache = new UserProfileCache(new ChatQueries(_store), Options.Create(new RealtimeOptions { ProfileCacheCapacity = Capacity }));
        var users = new List<UserRecord>();
        for (var i = 0; i < 10; i++)
        {
            users.Add(await _store.CreateUserAsync($"user{i}", $"User {i}", "student", "hash", T0, CancellationToken.None));
        }

        foreach (var user in users)
        {
            Assert.Equal(user.Username, (await cache.GetAsync(user.Id, CancellationToken.None))!.Username);
            Assert.True(cache.Count <= Capacity, $"{cache.Count} profiles held, capacity {Capacity}");
        }
        Assert.Equal(Capacity, cache.Count);

        // Held now: users 7, 8, 9. Using 7 makes 8 the least recently used, which user 0 then pushes out.
        await cache.GetAsync(users[7].Id, CancellationToken.None);
        await cache.GetAsync(users[0].Id, CancellationToken.None);
        foreach (var i in new[] { 7, 8 })
        {
            await _store.UpdateUserProfileAsync(users[i].Id, $"renamed{i}", "Renamed", "teacher", CancellationToken.None);
        }

        Assert.Equal("user7", (await cache.GetAsync(users[7].Id, CancellationToken.None))!.Username);
        Assert.Equal("renamed8", (await cache.GetAsync(users[8].Id, CancellationToken.None))!.Username);
        Assert.Equal(Capacity, cache.Count);
        Assert.Null(await cache.GetAsync(-1, CancellationToken.None));
        Assert.Equal(Capacity, cache.Count);
    }

    [Fact]
    public void ALruCacheReplacesInPlaceAndForgets()
    {
        var cache = new LruCache<long, string>(2);
        cache.Set(1, "a");
        cache.Set(2, "b");
        cache.Set(1, "a2");
        cache.Set(3, "c");

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(1, out var one));
        Assert.Equal("a2", one);
        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.Remove(3));
        Assert.False(cache.Remove(3));
        Assert.Equal(1, cache.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LruCache<long, string>(0));
    }
}
