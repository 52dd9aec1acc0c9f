using System.Diagnostics;
using Parley.Server.Storage;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The contract of <see cref="IChatStore"/> (its remarks list the guarantees), checked against every backend: a
/// subclass per backend says how to make a database and a store on it. The tests of a class may share one database,
/// so every test creates its own users, workspaces and channels.
/// </summary>
public abstract class ChatStoreSpecification(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>A time with sub-millisecond ticks: stores keep milliseconds, as the wire format does.</summary>
    private static readonly DateTime T0 = new DateTime(2026, 11, 26, 17, 3, 0, 123, DateTimeKind.Utc).AddTicks(4567);
    private static readonly DateTime T0Ms = new(2026, 11, 26, 17, 3, 0, 123, DateTimeKind.Utc);
    private static readonly TimeSpan ConcurrencyTimeout = TimeSpan.FromMinutes(2);
    private static int _names;

    private readonly List<IChatStore> _stores = [];

    /// <summary>A migrated store on this test's database.</summary>
    protected IChatStore Store { get; private set; } = null!;

    /// <summary>
    /// How many stores (server processes) may write to one database at once. Concurrency tests spread their writers
    /// over this many stores. SQLite has a single writer per file, so 1 there.
    /// </summary>
    protected abstract int Nodes { get; }

    /// <summary>The number of migrations of the backend's schema.</summary>
    protected abstract int LatestSchemaVersion { get; }

    /// <summary>What identifies this test's database for <see cref="CreateStore"/>; it may be shared by the class's tests.</summary>
    protected abstract Task<string> SharedDatabaseAsync();

    /// <summary>A new database with nothing in it.</summary>
    protected abstract Task<string> EmptyDatabaseAsync();

    /// <summary>A store on <paramref name="database"/>, not migrated yet.</summary>
    protected abstract IChatStore CreateStore(string database);

    /// <summary>Applies the migrations up to <paramref name="version"/> only.</summary>
    protected abstract Task MigrateToAsync(IChatStore store, int version);

    protected abstract Task<int> SchemaVersionAsync(IChatStore store);

    public async Task InitializeAsync() => Store = await OpenAsync(await SharedDatabaseAsync());

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }
        _stores.Clear();
    }

    // ---- accounts and sessions ----

    [Fact]
    public async Task UsernamesAreUniqueIgnoringCase()
    {
        var name = UniqueName("Ana");
        var ana = await Store.CreateUserAsync(name, "Ana", "student", "hash", T0, CancellationToken.None);

        await Assert.ThrowsAsync<DuplicateUsernameException>(() => Store.CreateUserAsync(name.ToUpperInvariant(), "Other", "student", "hash", T0, CancellationToken.None));
        await Assert.ThrowsAsync<DuplicateUsernameException>(() => Store.CreateUserAsync(name.ToLowerInvariant(), "Other", "student", "hash", T0, CancellationToken.None));
        var found = await Store.FindUserByUsernameAsync(name.ToLowerInvariant(), CancellationToken.None);
        Assert.Equal(ana.Id, found?.Id);
        Assert.Equal(name, found?.Username);
        Assert.Null(await Store.FindUserByUsernameAsync(UniqueName("nobody"), CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentRegistrationsOfOneNameCreateOneUser()
    {
        var nodes = await OpenNodesAsync();
        var name = UniqueName("race");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 12).Select(async i =>
        {
            await gate.Task;
            try
            {
                return await nodes[i % nodes.Length].CreateUserAsync(i % 2 == 0 ? name : name.ToUpperInvariant(), "Racer", "student", "hash", T0, CancellationToken.None);
            }
            catch (DuplicateUsernameException)
            {
                return null;
            }
        }).ToList();
        gate.SetResult();

        var users = await Task.WhenAll(attempts).WaitAsync(ConcurrencyTimeout);
        var created = Assert.Single(users, user => user is not null);
        Assert.Equal(created!.Id, (await Store.FindUserByUsernameAsync(name, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task UsersReadBackAsWrittenWithUtcMillisecondTimes()
    {
        var name = UniqueName("ana");
        var user = await Store.CreateUserAsync(name, "Ana Lima", "teacher", "hash1", T0, CancellationToken.None);

        Assert.Equal(new UserRecord(user.Id, name, "Ana Lima", "teacher", "hash1", T0Ms), user);
        Assert.Equal(DateTimeKind.Utc, user.CreatedAt.Kind);
        await Store.UpdatePasswordHashAsync(user.Id, "hash2", CancellationToken.None);
        var read = await Store.GetUserAsync(user.Id, CancellationToken.None);
        Assert.Equal(user with { PasswordHash = "hash2" }, read);
        Assert.Equal(DateTimeKind.Utc, read!.CreatedAt.Kind);
        Assert.Null(await Store.GetUserAsync(-1, CancellationToken.None));
    }

    [Fact]
    public async Task SessionsAreCreatedExtendedAndDeleted()
    {
        var user = await UserAsync();
        var idHash = UniqueName("session");
        await Store.CreateSessionAsync(new SessionRecord(idHash, user.Id, T0, T0.AddDays(7)), CancellationToken.None);

        Assert.Equal(new SessionRecord(idHash, user.Id, T0Ms, T0Ms.AddDays(7)), await Store.GetSessionAsync(idHash, CancellationToken.None));
        await Store.ExtendSessionAsync(idHash, T0.AddDays(30), CancellationToken.None);
        Assert.Equal(T0Ms.AddDays(30), (await Store.GetSessionAsync(idHash, CancellationToken.None))?.ExpiresAt);
        Assert.True(await Store.DeleteSessionAsync(idHash, CancellationToken.None));
        Assert.False(await Store.DeleteSessionAsync(idHash, CancellationToken.None));
        Assert.Null(await Store.GetSessionAsync(idHash, CancellationToken.None));
    }

    [Fact]
    public async Task ApiTokensAreListedAndDeletedOnlyByTheirOwner()
    {
        var ana = await UserAsync();
        var ben = await UserAsync();
        var (hash1, hash2) = (UniqueName("token"), UniqueName("token"));
        var bot = await Store.CreateApiTokenAsync(ana.Id, "bot", hash1, T0, CancellationToken.None);
        var ci = await Store.CreateApiTokenAsync(ana.Id, "ci", hash2, T0.AddSeconds(1), CancellationToken.None);

        Assert.Equal(new ApiTokenRecord(bot.Id, ana.Id, "bot", hash1, T0Ms), bot);
        Assert.Equal(bot, await Store.FindApiTokenAsync(hash1, CancellationToken.None));
        Assert.Equal([bot, ci], await Store.ListApiTokensAsync(ana.Id, CancellationToken.None));
        Assert.Empty(await Store.ListApiTokensAsync(ben.Id, CancellationToken.None));
        Assert.False(await Store.DeleteApiTokenAsync(ben.Id, bot.Id, CancellationToken.None));
        Assert.True(await Store.DeleteApiTokenAsync(ana.Id, bot.Id, CancellationToken.None));
        Assert.False(await Store.DeleteApiTokenAsync(ana.Id, bot.Id, CancellationToken.None));
        Assert.Null(await Store.FindApiTokenAsync(hash1, CancellationToken.None));
        Assert.Equal([ci], await Store.ListApiTokensAsync(ana.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ExternalUsersAreFoundByTheirExternalIdWhichIsUnique()
    {
        var externalId = UniqueName("ext-");
        var ana = await Store.CreateExternalUserAsync(externalId, UniqueName("ana"), "Ana", "teacher", T0, CancellationToken.None);

        Assert.Equal(externalId, ana.ExternalId);
        Assert.Equal("", ana.PasswordHash);
        Assert.Equal(ana, await Store.FindUserByExternalIdAsync(externalId, CancellationToken.None));
        Assert.Equal(ana, await Store.GetUserAsync(ana.Id, CancellationToken.None));
        Assert.Null(await Store.FindUserByExternalIdAsync(externalId.ToUpperInvariant(), CancellationToken.None));
        Assert.Null((await UserAsync()).ExternalId);
        await Assert.ThrowsAsync<DuplicateExternalIdException>(() => Store.CreateExternalUserAsync(externalId, UniqueName("other"), "Other", "student", T0, CancellationToken.None));
        await Assert.ThrowsAsync<DuplicateUsernameException>(() => Store.CreateExternalUserAsync(UniqueName("ext-"), ana.Username, "Other", "student", T0, CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentFirstSightsOfOneExternalIdCreateOneUser()
    {
        var nodes = await OpenNodesAsync();
        var externalId = UniqueName("race-");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                return (await nodes[i % nodes.Length].CreateExternalUserAsync(externalId, UniqueName("racer"), "R", "student", T0, CancellationToken.None)).Id;
            }
            catch (DuplicateExternalIdException)
            {
                return 0;
            }
        })).WaitAsync(ConcurrencyTimeout);

        Assert.Single(attempts, id => id != 0);
    }

    [Fact]
    public async Task ProfilesAreUpdatedAndUsernamesStayUnique()
    {
        var ana = await Store.CreateExternalUserAsync(UniqueName("ext-"), UniqueName("ana"), "Ana", "student", T0, CancellationToken.None);
        var ben = await UserAsync();
        var renamed = UniqueName("Ana");

        var updated = await Store.UpdateUserProfileAsync(ana.Id, renamed, "Ana Lima", "teacher", CancellationToken.None);

        Assert.Equal(ana with { Username = renamed, DisplayName = "Ana Lima", Role = "teacher" }, updated);
        Assert.Equal(updated, await Store.FindUserByUsernameAsync(renamed.ToLowerInvariant(), CancellationToken.None));
        Assert.Null(await Store.FindUserByUsernameAsync(ana.Username, CancellationToken.None));
        await Assert.ThrowsAsync<DuplicateUsernameException>(() => Store.UpdateUserProfileAsync(ana.Id, ben.Username.ToUpperInvariant(), "Ana", "student", CancellationToken.None));
        Assert.Null(await Store.UpdateUserProfileAsync(-1, UniqueName("nobody"), "N", "student", CancellationToken.None));
    }

    [Fact]
    public async Task DeletingAUsersCredentialsEndsEverySessionAndTokenOfTheirsOnly()
    {
        var ana = await UserAsync();
        var ben = await UserAsync();
        var sessions = new[] { UniqueName("session"), UniqueName("session") };
        foreach (var hash in sessions)
        {
            await Store.CreateSessionAsync(new SessionRecord(hash, ana.Id, T0Ms, T0Ms.AddDays(1)), CancellationToken.None);
        }
        var token = await Store.CreateApiTokenAsync(ana.Id, "bot", UniqueName("token"), T0, CancellationToken.None);
        var bens = new SessionRecord(UniqueName("session"), ben.Id, T0Ms, T0Ms.AddDays(1));
        await Store.CreateSessionAsync(bens, CancellationToken.None);

        var deleted = await Store.DeleteCredentialsOfUserAsync(ana.Id, CancellationToken.None);

        Assert.Equal(sessions.Append(token.TokenHash).Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
        Assert.Null(await Store.GetSessionAsync(sessions[0], CancellationToken.None));
        Assert.Null(await Store.FindApiTokenAsync(token.TokenHash, CancellationToken.None));
        Assert.Equal(bens, await Store.GetSessionAsync(bens.IdHash, CancellationToken.None));
        Assert.Empty(await Store.DeleteCredentialsOfUserAsync(ana.Id, CancellationToken.None));
    }

    [Fact]
    public async Task LiveCredentialsAreFoundInOneQueryWithoutTheEndedOnes()
    {
        var ana = await UserAsync();
        var (live, expired, ended, unknown) = (UniqueName("session"), UniqueName("session"), UniqueName("session"), UniqueName("session"));
        await Store.CreateSessionAsync(new SessionRecord(live, ana.Id, T0, T0.AddDays(7)), CancellationToken.None);
        await Store.CreateSessionAsync(new SessionRecord(expired, ana.Id, T0, T0.AddMinutes(1)), CancellationToken.None);
        await Store.CreateSessionAsync(new SessionRecord(ended, ana.Id, T0, T0.AddDays(7)), CancellationToken.None);
        await Store.DeleteSessionAsync(ended, CancellationToken.None);
        var (token, revoked) = (UniqueName("token"), UniqueName("token"));
        await Store.CreateApiTokenAsync(ana.Id, "bot", token, T0, CancellationToken.None);
        var gone = await Store.CreateApiTokenAsync(ana.Id, "old", revoked, T0, CancellationToken.None);
        await Store.DeleteApiTokenAsync(ana.Id, gone.Id, CancellationToken.None);

        var found = await Store.FindLiveCredentialsAsync([live, expired, ended, unknown, token, revoked], T0.AddMinutes(1), CancellationToken.None);

        Assert.Equal(
            [new LiveCredential(live, IsSession: true, T0Ms.AddDays(7)), new LiveCredential(token, IsSession: false, ExpiresAt: null)],
            found.OrderBy(c => c.IsSession ? 0 : 1));
        Assert.Equal(DateTimeKind.Utc, found.First(c => c.IsSession).ExpiresAt!.Value.Kind);
        Assert.Empty(await Store.FindLiveCredentialsAsync([], T0, CancellationToken.None));
    }

    [Fact]
    public async Task LiveCredentialsAreFoundAmongThousandsOfHashes()
    {
        var ana = await UserAsync();
        var sessions = Enumerable.Range(0, 5).Select(_ => UniqueName("session")).ToList();
        foreach (var hash in sessions)
        {
            await Store.CreateSessionAsync(new SessionRecord(hash, ana.Id, T0, T0.AddDays(7)), CancellationToken.None);
        }
        var hashes = Enumerable.Range(0, 5000).Select(i => $"unknown-{i}").Concat(sessions).ToList();

        var found = await Store.FindLiveCredentialsAsync(hashes, T0, CancellationToken.None);

        Assert.Equal(sessions.Order(), found.Select(c => c.Hash).Order());
    }

    // ---- workspaces, members, channels ----

    [Fact]
    public async Task WorkspaceIsCreatedWithItsOwnerAsMember()
    {
        var owner = await UserAsync();
        var workspace = await Store.CreateWorkspaceAsync("Class 7B", "Maths and more", owner.Id, T0, CancellationToken.None);

        Assert.Equal(new WorkspaceRecord(workspace.Id, "Class 7B", "Maths and more", owner.Id, T0Ms), workspace);
        Assert.Equal(workspace, await Store.GetWorkspaceAsync(workspace.Id, CancellationToken.None));
        Assert.Equal(WorkspaceRoles.Owner, await Store.GetMemberRoleAsync(workspace.Id, owner.Id, CancellationToken.None));
        Assert.Equal([workspace], await Store.ListWorkspacesOfUserAsync(owner.Id, CancellationToken.None));
        Assert.Equal([new WorkspaceMemberRecord(workspace.Id, owner.Id, WorkspaceRoles.Owner, owner.Username, owner.DisplayName)],
            await Store.ListMembersAsync(workspace.Id, CancellationToken.None));
        Assert.Equal([(workspace.Id, owner.Id)], await Store.ListMembershipsOfUsersAsync([owner.Id], CancellationToken.None));
        Assert.Null((await Store.CreateWorkspaceAsync("No description", null, owner.Id, T0, CancellationToken.None)).Description);
        Assert.Null(await Store.GetWorkspaceAsync(-1, CancellationToken.None));
    }

    [Fact]
    public async Task TheFirstChannelsOfAUsersFirstWorkspacesComeInOneListByWorkspaceThenChannel()
    {
        var owner = await UserAsync();
        var ben = await UserAsync();
        var first = await Store.CreateWorkspaceAsync("first", null, owner.Id, T0, CancellationToken.None);
        var second = await Store.CreateWorkspaceAsync("second", null, owner.Id, T0, CancellationToken.None);
        var notBens = await Store.CreateWorkspaceAsync("not ben's", null, owner.Id, T0, CancellationToken.None);
        // Created out of workspace order, so the order of the answer is the query's, not the insertion's.
        var inSecond = await Store.CreateChannelAsync(second.Id, "b", ChannelTypes.Text, null, T0, CancellationToken.None);
        var firstA = await Store.CreateChannelAsync(first.Id, "a", ChannelTypes.Text, null, T0, CancellationToken.None);
        var firstC = await Store.CreateChannelAsync(first.Id, "c", ChannelTypes.Announcement, "news", T0, CancellationToken.None);
        await Store.CreateChannelAsync(notBens.Id, "hidden", ChannelTypes.Text, null, T0, CancellationToken.None);
        await Store.GetOrCreateDmChannelAsync(owner.Id, ben.Id, T0, CancellationToken.None);
        await Store.AddMemberAsync(first.Id, ben.Id, WorkspaceRoles.Member, T0, CancellationToken.None);
        await Store.AddMemberAsync(second.Id, ben.Id, WorkspaceRoles.Member, T0, CancellationToken.None);

        Assert.Equal([firstA, firstC, inSecond], await Store.ListChannelsOfWorkspacesOfUserAsync(ben.Id, 10, 10, CancellationToken.None));
        Assert.Equal([firstA, inSecond], await Store.ListChannelsOfWorkspacesOfUserAsync(ben.Id, 10, 1, CancellationToken.None));
        Assert.Equal([firstA, firstC], await Store.ListChannelsOfWorkspacesOfUserAsync(ben.Id, 1, 10, CancellationToken.None));
        Assert.Empty(await Store.ListChannelsOfWorkspacesOfUserAsync((await UserAsync()).Id, 10, 10, CancellationToken.None));
    }

    [Fact]
    public async Task MembersAreAddedOnceAndRemoved()
    {
        var owner = await UserAsync();
        var ben = await UserAsync();
        var workspace = await Store.CreateWorkspaceAsync("w", null, owner.Id, T0, CancellationToken.None);

        Assert.True(await Store.AddMemberAsync(workspace.Id, ben.Id, WorkspaceRoles.Admin, T0, CancellationToken.None));
        Assert.False(await Store.AddMemberAsync(workspace.Id, ben.Id, WorkspaceRoles.Member, T0, CancellationToken.None));
        Assert.Equal(WorkspaceRoles.Admin, await Store.GetMemberRoleAsync(workspace.Id, ben.Id, CancellationToken.None));
        Assert.Equal([owner.Id, ben.Id], (await Store.ListMembersAsync(workspace.Id, CancellationToken.None)).Select(m => m.UserId));
        Assert.Equal([workspace.Id], (await Store.ListWorkspacesOfUserAsync(ben.Id, CancellationToken.None)).Select(w => w.Id));

        Assert.True(await Store.RemoveMemberAsync(workspace.Id, ben.Id, CancellationToken.None));
        Assert.False(await Store.RemoveMemberAsync(workspace.Id, ben.Id, CancellationToken.None));
        Assert.Null(await Store.GetMemberRoleAsync(workspace.Id, ben.Id, CancellationToken.None));
        Assert.Empty(await Store.ListWorkspacesOfUserAsync(ben.Id, CancellationToken.None));
        Assert.Empty(await Store.ListMembershipsOfUsersAsync([ben.Id], CancellationToken.None));
    }

    [Fact]
    public async Task UserSearchFindsOnlyPeopleSharingAWorkspaceByNameIgnoringCase()
    {
        var ana = await UserAsync();
        var prefix = UniqueName("Zed");
        var inTwo = await Store.CreateUserAsync($"{prefix}_one", "Zora Nightly", "student", "hash", T0, CancellationToken.None);
        var byDisplayName = await Store.CreateUserAsync(UniqueName("plain"), $"Big {prefix.ToLowerInvariant()} fan", "student", "hash", T0, CancellationToken.None);
        var stranger = await Store.CreateUserAsync($"{prefix}_stranger", "Zed Elsewhere", "student", "hash", T0, CancellationToken.None);
        var nonMatching = await Store.CreateUserAsync(UniqueName("other"), "Other", "student", "hash", T0, CancellationToken.None);
        var first = await Store.CreateWorkspaceAsync("w1", null, ana.Id, T0, CancellationToken.None);
        var second = await Store.CreateWorkspaceAsync("w2", null, ana.Id, T0, CancellationToken.None);
        var theirs = await Store.CreateWorkspaceAsync("w3", null, stranger.Id, T0, CancellationToken.None);
        foreach (var user in new[] { inTwo, byDisplayName, nonMatching })
        {
            await Store.AddMemberAsync(first.Id, user.Id, WorkspaceRoles.Member, T0, CancellationToken.None);
        }
        await Store.AddMemberAsync(second.Id, inTwo.Id, WorkspaceRoles.Member, T0, CancellationToken.None);
        await Store.AddMemberAsync(theirs.Id, nonMatching.Id, WorkspaceRoles.Member, T0, CancellationToken.None);
        var pattern = $"%{prefix.ToUpperInvariant()}%";

        var found = await Store.SearchUsersSharingWorkspaceAsync(ana.Id, pattern, 0, 10, CancellationToken.None);

        // Once each although inTwo shares two workspaces; never the stranger, whom ana shares none with.
        Assert.Equal([inTwo.Id, byDisplayName.Id], found.Select(u => u.Id));
        Assert.All(found, u => Assert.Equal("", u.PasswordHash));
        Assert.Equal(inTwo.Username, found[0].Username);
        Assert.Equal("Zora Nightly", found[0].DisplayName);
        Assert.Equal([byDisplayName.Id], (await Store.SearchUsersSharingWorkspaceAsync(ana.Id, pattern, inTwo.Id, 10, CancellationToken.None)).Select(u => u.Id));
        Assert.Equal([inTwo.Id], (await Store.SearchUsersSharingWorkspaceAsync(ana.Id, pattern, 0, 1, CancellationToken.None)).Select(u => u.Id));
        // The caller is not among the results, and an escaped wildcard matches only itself.
        Assert.DoesNotContain(ana.Id, (await Store.SearchUsersSharingWorkspaceAsync(ana.Id, "%", 0, 10, CancellationToken.None)).Select(u => u.Id));
        Assert.Equal([inTwo.Id], (await Store.SearchUsersSharingWorkspaceAsync(ana.Id, "%\\_ONE%", 0, 10, CancellationToken.None)).Select(u => u.Id));
        Assert.Empty(await Store.SearchUsersSharingWorkspaceAsync(ana.Id, "%\\%%", 0, 10, CancellationToken.None));
        Assert.Equal([nonMatching.Id], (await Store.SearchUsersSharingWorkspaceAsync(stranger.Id, "%", 0, 10, CancellationToken.None)).Select(u => u.Id));
    }

    [Fact]
    public async Task MembershipsOfManyUsersComeInOneAnswer()
    {
        var owner = await UserAsync();
        var ben = await UserAsync();
        var stranger = await UserAsync();
        var first = await Store.CreateWorkspaceAsync("first", null, owner.Id, T0, CancellationToken.None);
        var second = await Store.CreateWorkspaceAsync("second", null, owner.Id, T0, CancellationToken.None);
        await Store.AddMemberAsync(second.Id, ben.Id, WorkspaceRoles.Member, T0, CancellationToken.None);

        var memberships = await Store.ListMembershipsOfUsersAsync([owner.Id, ben.Id, stranger.Id, -1], CancellationToken.None);

        Assert.Equal([(first.Id, owner.Id), (second.Id, owner.Id), (second.Id, ben.Id)], memberships.Order());
        Assert.Empty(await Store.ListMembershipsOfUsersAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task MemberRolesChangeOnlyForMembers()
    {
        var owner = await UserAsync();
        var ben = await UserAsync();
        var workspace = await Store.CreateWorkspaceAsync("w", null, owner.Id, T0, CancellationToken.None);
        await Store.AddMemberAsync(workspace.Id, ben.Id, WorkspaceRoles.Member, T0, CancellationToken.None);

        Assert.True(await Store.SetMemberRoleAsync(workspace.Id, ben.Id, WorkspaceRoles.Admin, CancellationToken.None));
        Assert.Equal(WorkspaceRoles.Admin, await Store.GetMemberRoleAsync(workspace.Id, ben.Id, CancellationToken.None));
        Assert.False(await Store.SetMemberRoleAsync(workspace.Id, (await UserAsync()).Id, WorkspaceRoles.Admin, CancellationToken.None));
    }

    [Fact]
    public async Task ChannelsAreListedPerWorkspace()
    {
        var owner = await UserAsync();
        var workspace = await Store.CreateWorkspaceAsync("w", null, owner.Id, T0, CancellationToken.None);
        var other = await Store.CreateWorkspaceAsync("other", null, owner.Id, T0, CancellationToken.None);
        var general = await Store.CreateChannelAsync(workspace.Id, "general", ChannelTypes.Text, null, T0, CancellationToken.None);
        var news = await Store.CreateChannelAsync(workspace.Id, "news", ChannelTypes.Announcement, "Maths", T0, CancellationToken.None);

        Assert.Equal(new ChannelRecord(general.Id, workspace.Id, "general", ChannelTypes.Text, null, null, null, 0, T0Ms), general);
        Assert.Equal(news, await Store.GetChannelAsync(news.Id, CancellationToken.None));
        Assert.Equal("Maths", news.Subject);
        Assert.Equal([general, news], await Store.ListChannelsAsync(workspace.Id, CancellationToken.None));
        Assert.Empty(await Store.ListChannelsAsync(other.Id, CancellationToken.None));
        Assert.Null(await Store.GetChannelAsync(-1, CancellationToken.None));
    }

    [Fact]
    public async Task LastSeqsOfManyChannelsComeInOneAnswer()
    {
        var (ana, first) = await ChannelAsync();
        var second = await Store.CreateChannelAsync(first.WorkspaceId!.Value, "second", ChannelTypes.Text, null, T0, CancellationToken.None);
        var (empty, _) = await Store.GetOrCreateDmChannelAsync(ana.Id, (await UserAsync()).Id, T0, CancellationToken.None);
        await AppendManyAsync(first, ana, 4);
        await AppendManyAsync(second, ana, 2);

        var lastSeqs = await Store.GetLastSeqsAsync([first.Id, second.Id, empty.Id, -1], CancellationToken.None);

        Assert.Equal(new Dictionary<long, long> { [first.Id] = 4, [second.Id] = 2, [empty.Id] = 0 }, lastSeqs);
        Assert.Empty(await Store.GetLastSeqsAsync([], CancellationToken.None));
        var many = Enumerable.Range(0, 2000).Select(i => first.Id + 1_000_000L + i).Append(second.Id).ToList();
        Assert.Equal(new Dictionary<long, long> { [second.Id] = 2 }, await Store.GetLastSeqsAsync(many, CancellationToken.None));
    }

    [Fact]
    public async Task OneDmChannelPerPairWhoeverOpensIt()
    {
        var ana = await UserAsync();
        var ben = await UserAsync();
        var carl = await UserAsync();

        var (channel, created) = await Store.GetOrCreateDmChannelAsync(ben.Id, ana.Id, T0, CancellationToken.None);
        var (again, createdAgain) = await Store.GetOrCreateDmChannelAsync(ana.Id, ben.Id, T0.AddMinutes(1), CancellationToken.None);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(channel, again);
        Assert.True(channel.IsDm);
        Assert.Null(channel.WorkspaceId);
        Assert.Equal((Math.Min(ana.Id, ben.Id), Math.Max(ana.Id, ben.Id)), (channel.DmUserLow, channel.DmUserHigh));
        Assert.Equal(ben.Id, channel.DmPartnerOf(ana.Id));
        Assert.Equal(T0Ms, channel.CreatedAt);
        Assert.Equal(channel, await Store.FindDmChannelAsync(ana.Id, ben.Id, CancellationToken.None));
        Assert.Equal(channel, await Store.FindDmChannelAsync(ben.Id, ana.Id, CancellationToken.None));
        // Looking a pair up never creates its channel.
        Assert.Null(await Store.FindDmChannelAsync(carl.Id, ana.Id, CancellationToken.None));
        Assert.Null(await Store.FindDmChannelAsync(carl.Id, ana.Id, CancellationToken.None));
        Assert.Equal([channel.Id], (await Store.ListDmChannelsAsync(ben.Id, 0, 10, CancellationToken.None)).Select(d => d.Channel.Id));
        Assert.Empty(await Store.ListDmChannelsAsync(carl.Id, 0, 10, CancellationToken.None));
        var (other, _) = await Store.GetOrCreateDmChannelAsync(carl.Id, ana.Id, T0, CancellationToken.None);
        Assert.NotEqual(channel.Id, other.Id);
        Assert.Equal(other, await Store.FindDmChannelAsync(ana.Id, carl.Id, CancellationToken.None));
        Assert.Equal([channel.Id, other.Id], (await Store.ListDmChannelsAsync(ana.Id, 0, 10, CancellationToken.None)).Select(d => d.Channel.Id));
    }

    [Fact]
    public async Task DmChannelIsCreatedOnceUnderRaces()
    {
        var nodes = await OpenNodesAsync();
        var users = new List<UserRecord>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await UserAsync());
        }
        var pairs = Enumerable.Range(0, 5).Select(i => (A: users[i], B: users[i + 1])).ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = pairs.SelectMany((pair, p) => Enumerable.Range(0, 8).Select(async i =>
        {
            await gate.Task;
            // Both directions, on every node.
            var (first, second) = i % 2 == 0 ? (pair.A, pair.B) : (pair.B, pair.A);
            var (channel, created) = await nodes[(i + p) % nodes.Length].GetOrCreateDmChannelAsync(first.Id, second.Id, T0, CancellationToken.None);
            return (Pair: p, channel.Id, Created: created);
        })).ToList();
        gate.SetResult();

        var results = await Task.WhenAll(calls).WaitAsync(ConcurrencyTimeout);
        foreach (var pair in results.GroupBy(r => r.Pair))
        {
            Assert.Single(pair, r => r.Created);
            Assert.Single(pair.Select(r => r.Id).Distinct());
        }
        Assert.Equal(5, results.Select(r => r.Id).Distinct().Count());
    }

    // ---- messages: seq, ordering, idempotency ----

    [Fact]
    public async Task MessagesGetConsecutiveSeqsAndReadBackOldestFirst()
    {
        var (ana, channel) = await ChannelAsync();
        var sent = new List<AppendResult>
        {
            await Store.AppendMessageAsync(Message(channel, ana, "hello", at: T0), CancellationToken.None),
            await Store.AppendMessageAsync(Message(channel, ana, "a file", at: T0.AddSeconds(1)) with { MessageType = "file", FileUrl = "https://example.org/a.pdf" }, CancellationToken.None),
            await Store.AppendMessageAsync(Message(channel, ana, "keyed", "k-1", T0.AddSeconds(2)), CancellationToken.None),
            await Store.AppendMessageAsync(Message(channel, ana, "four", at: T0.AddSeconds(3)), CancellationToken.None),
            await Store.AppendMessageAsync(Message(channel, ana, "five", at: T0.AddSeconds(4)), CancellationToken.None),
        };

        Assert.All(sent, result => Assert.True(result.Created));
        var messages = sent.Select(result => result.Message).ToList();
        Assert.Equal([1, 2, 3, 4, 5], messages.Select(m => m.Seq));
        Assert.Equal(messages.Select(m => m.Id).Order(), messages.Select(m => m.Id));
        Assert.Equal(new StoredMessage(messages[1].Id, channel.Id, 2, ana.Id, ana.Username, "a file", "file", "https://example.org/a.pdf", null, T0Ms.AddSeconds(1), false, null), messages[1]);
        Assert.Equal("k-1", messages[2].ClientMsgId);
        Assert.All(messages, m => Assert.Equal(DateTimeKind.Utc, m.CreatedAt.Kind));
        foreach (var message in messages)
        {
            Assert.Equal(message, await Store.GetMessageAsync(message.Id, CancellationToken.None));
        }
        Assert.Equal(messages, await Store.ListMessagesBeforeAsync(channel.Id, null, 50, CancellationToken.None));
        Assert.Equal(5, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))?.LastSeq);
        Assert.Null(await Store.GetMessageAsync(-1, CancellationToken.None));
    }

    [Fact]
    public async Task SeqCountsPerChannel()
    {
        var (ana, first) = await ChannelAsync();
        var second = await Store.CreateChannelAsync(first.WorkspaceId!.Value, "second", ChannelTypes.Text, null, T0, CancellationToken.None);
        var seqs = new List<(long Channel, long Seq)>();
        foreach (var channel in new[] { first, second, first, first, second })
        {
            var result = await Store.AppendMessageAsync(Message(channel, ana, "m"), CancellationToken.None);
            seqs.Add((channel.Id, result.Message.Seq));
        }

        Assert.Equal([(first.Id, 1L), (second.Id, 1L), (first.Id, 2L), (first.Id, 3L), (second.Id, 2L)], seqs);
        Assert.Equal(2, (await Store.GetChannelAsync(second.Id, CancellationToken.None))?.LastSeq);
    }

    [Fact]
    public async Task AppendingToAMissingChannelFails()
    {
        var ana = await UserAsync();
        var missing = new ChannelRecord(-1, null, "missing", ChannelTypes.Text, null, null, null, 0, T0);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendMessageAsync(Message(missing, ana, "lost"), CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendMessageAsync(Message(missing, ana, "lost", "k"), CancellationToken.None));
    }

    [Fact]
    public async Task SeqIsGapFreeUnderConcurrentWritersOnSeveralNodes()
    {
        const int Writers = 16;
        const int MessagesPerWriter = 50;
        var nodes = await OpenNodesAsync();
        var (owner, channel) = await ChannelAsync();
        var authors = new List<UserRecord> { owner };
        for (var i = 1; i < 4; i++)
        {
            authors.Add(await UserAsync());
        }
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(async w =>
        {
            await gate.Task;
            var node = nodes[w % nodes.Length];
            var mine = new List<StoredMessage>(MessagesPerWriter);
            for (var i = 0; i < MessagesPerWriter; i++)
            {
                mine.Add((await node.AppendMessageAsync(Message(channel, authors[w % authors.Count], $"writer {w} message {i}"), CancellationToken.None)).Message);
            }
            return mine;
        }).ToList();
        var clock = Stopwatch.StartNew();
        gate.SetResult();
        var written = await Task.WhenAll(writers).WaitAsync(ConcurrencyTimeout);
        clock.Stop();

        var total = Writers * MessagesPerWriter;
        // A writer's own messages get increasing seqs: each append is committed before the next starts.
        Assert.All(written, mine => Assert.Equal(mine.Select(m => m.Seq).Order(), mine.Select(m => m.Seq)));
        var seqs = written.SelectMany(mine => mine.Select(m => m.Seq)).Order().ToList();
        var duplicates = seqs.Count - seqs.Distinct().Count();
        var gaps = total - seqs.Distinct().Count(seq => seq >= 1 && seq <= total);
        output.WriteLine($"{nodes.Length} node(s) x {Writers / nodes.Length} writers x {MessagesPerWriter} messages = {total} appends to one channel " +
            $"in {clock.ElapsedMilliseconds} ms ({total * 1000.0 / Math.Max(1, clock.ElapsedMilliseconds):F0}/s); duplicate seqs: {duplicates}, missing seqs: {gaps}");
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), seqs);

        var stored = await Store.ListMessagesAfterSeqAsync(channel.Id, 0, total + 10, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(stored.Select(m => m.Id).Order(), stored.Select(m => m.Id));
        Assert.Equal(total, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))?.LastSeq);
    }

    [Fact]
    public async Task RepeatedClientMsgIdReturnsTheOriginalAndUsesNoSeq()
    {
        var (ana, channel) = await ChannelAsync();
        var ben = await MemberAsync(channel);
        var other = await Store.CreateChannelAsync(channel.WorkspaceId!.Value, "other", ChannelTypes.Text, null, T0, CancellationToken.None);

        var first = await Store.AppendMessageAsync(Message(channel, ana, "hello", "k-1", T0), CancellationToken.None);
        var repeat = await Store.AppendMessageAsync(Message(channel, ana, "hello, edited", "k-1", T0.AddSeconds(5)), CancellationToken.None);
        var next = await Store.AppendMessageAsync(Message(channel, ana, "next"), CancellationToken.None);
        var bens = await Store.AppendMessageAsync(Message(channel, ben, "same key, other author", "k-1"), CancellationToken.None);
        var elsewhere = await Store.AppendMessageAsync(Message(other, ana, "same key, other channel", "k-1"), CancellationToken.None);

        Assert.True(first.Created);
        Assert.False(repeat.Created);
        Assert.Equal(first.Message, repeat.Message);
        Assert.Equal(2, next.Message.Seq);
        Assert.True(bens.Created);
        Assert.Equal(3, bens.Message.Seq);
        Assert.True(elsewhere.Created);
        Assert.Equal(1, elsewhere.Message.Seq);
        Assert.Equal(first.Message, await Store.FindMessageByClientMsgIdAsync(channel.Id, ana.Id, "k-1", CancellationToken.None));
        Assert.Equal(bens.Message, await Store.FindMessageByClientMsgIdAsync(channel.Id, ben.Id, "k-1", CancellationToken.None));
        Assert.Null(await Store.FindMessageByClientMsgIdAsync(channel.Id, ana.Id, "k-2", CancellationToken.None));
        Assert.Equal(3, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))?.LastSeq);
    }

    [Fact]
    public async Task ConcurrentDuplicatesOfOneClientMsgIdStoreOneMessageAndBurnNoSeq()
    {
        const int Keys = 10;
        const int CopiesPerKey = 8;
        const int UnkeyedMessages = 80;
        var nodes = await OpenNodesAsync();
        var (ana, channel) = await ChannelAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var keyed = Enumerable.Range(0, Keys * CopiesPerKey).Select(async i =>
        {
            await gate.Task;
            var key = $"key-{i % Keys}";
            return (Key: key, Result: await nodes[i % nodes.Length].AppendMessageAsync(Message(channel, ana, $"copy {i / Keys} of {key}", key), CancellationToken.None));
        }).ToList();
        // Plain messages racing for seqs at the same time, so that a duplicate that burnt a seq would leave a gap.
        var unkeyed = Enumerable.Range(0, UnkeyedMessages).Select(async i =>
        {
            await gate.Task;
            return await nodes[(i + 1) % nodes.Length].AppendMessageAsync(Message(channel, ana, $"plain {i}"), CancellationToken.None);
        }).ToList();
        gate.SetResult();
        var keyedResults = await Task.WhenAll(keyed).WaitAsync(ConcurrencyTimeout);
        await Task.WhenAll(unkeyed).WaitAsync(ConcurrencyTimeout);

        foreach (var copies in keyedResults.GroupBy(r => r.Key))
        {
            Assert.Single(copies, c => c.Result.Created);
            Assert.Single(copies.Select(c => c.Result.Message.Id).Distinct());
        }
        var total = Keys + UnkeyedMessages;
        var stored = await Store.ListMessagesAfterSeqAsync(channel.Id, 0, 1000, CancellationToken.None);
        output.WriteLine($"{Keys} keys x {CopiesPerKey} concurrent copies + {UnkeyedMessages} plain messages on {nodes.Length} node(s): {stored.Count} stored");
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(total, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))?.LastSeq);
    }

    // ---- reading history ----

    [Fact]
    public async Task HistoryPagesBackwardsWithBeforeAndLimit()
    {
        var (ana, channel) = await ChannelAsync();
        await AppendManyAsync(channel, ana, 10);
        var (_, otherChannel) = await ChannelAsync();
        var foreign = (await Store.AppendMessageAsync(Message(otherChannel, ana, "elsewhere"), CancellationToken.None)).Message;

        var page1 = await Store.ListMessagesBeforeAsync(channel.Id, null, 4, CancellationToken.None);
        var page2 = await Store.ListMessagesBeforeAsync(channel.Id, page1[0].Id, 4, CancellationToken.None);
        var page3 = await Store.ListMessagesBeforeAsync(channel.Id, page2[0].Id, 4, CancellationToken.None);
        var page4 = await Store.ListMessagesBeforeAsync(channel.Id, page3[0].Id, 4, CancellationToken.None);

        Assert.Equal([7, 8, 9, 10], page1.Select(m => m.Seq));
        Assert.Equal([3, 4, 5, 6], page2.Select(m => m.Seq));
        Assert.Equal([1, 2], page3.Select(m => m.Seq));
        Assert.Empty(page4);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await Store.ListMessagesBeforeAsync(channel.Id, null, 100, CancellationToken.None)).Select(m => m.Seq));
        Assert.Empty(await Store.ListMessagesBeforeAsync(channel.Id, foreign.Id, 100, CancellationToken.None));
    }

    [Fact]
    public async Task ReplayReturnsMessagesAfterASeqInOrder()
    {
        var (ana, channel) = await ChannelAsync();
        await AppendManyAsync(channel, ana, 10);
        var (_, otherChannel) = await ChannelAsync();
        await AppendManyAsync(otherChannel, ana, 3);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await Store.ListMessagesAfterSeqAsync(channel.Id, 0, 100, CancellationToken.None)).Select(m => m.Seq));
        Assert.Equal([8, 9, 10], (await Store.ListMessagesAfterSeqAsync(channel.Id, 7, 100, CancellationToken.None)).Select(m => m.Seq));
        Assert.Equal([4, 5], (await Store.ListMessagesAfterSeqAsync(channel.Id, 3, 2, CancellationToken.None)).Select(m => m.Seq));
        Assert.Empty(await Store.ListMessagesAfterSeqAsync(channel.Id, 10, 100, CancellationToken.None));
        Assert.All(await Store.ListMessagesAfterSeqAsync(channel.Id, 0, 100, CancellationToken.None), m => Assert.Equal(channel.Id, m.ChannelId));
    }

    [Fact]
    public async Task ABoundedReplayStartsBelowTheNewestMessagesThatAreNotDeleted()
    {
        var (ana, channel) = await ChannelAsync();
        var messages = await AppendManyAsync(channel, ana, 12);
        var (_, otherChannel) = await ChannelAsync();
        await AppendManyAsync(otherChannel, ana, 20);

        // The 5 newest of (0, 12] are 8..12: the replay starts after 7.
        Assert.Equal(7, await Store.FindSeqBeforeNewestAsync(channel.Id, 0, 12, 5, CancellationToken.None));
        // Up to seq 10 only: 6..10 are the newest, start after 5.
        Assert.Equal(5, await Store.FindSeqBeforeNewestAsync(channel.Id, 0, 10, 5, CancellationToken.None));
        // At most 5 after 7 (or after 6: exactly 6 messages, one skipped).
        Assert.Null(await Store.FindSeqBeforeNewestAsync(channel.Id, 7, 12, 5, CancellationToken.None));
        Assert.Equal(7, await Store.FindSeqBeforeNewestAsync(channel.Id, 6, 12, 5, CancellationToken.None));
        Assert.Null(await Store.FindSeqBeforeNewestAsync(channel.Id, 12, 12, 5, CancellationToken.None));

        // Deleted messages are not replayed, so they do not count: with 11 and 9 gone the newest 5 are 6, 7, 8, 10, 12.
        Assert.True(await Store.DeleteMessageAsync(messages[10].Id, T0, CancellationToken.None));
        Assert.True(await Store.DeleteMessageAsync(messages[8].Id, T0, CancellationToken.None));
        Assert.Equal(5, await Store.FindSeqBeforeNewestAsync(channel.Id, 0, 12, 5, CancellationToken.None));
        Assert.Null(await Store.FindSeqBeforeNewestAsync(channel.Id, 5, 12, 5, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.FindSeqBeforeNewestAsync(channel.Id, 0, 12, 0, CancellationToken.None));
    }

    [Fact]
    public async Task ReplayRefusesALimitBelowOne()
    {
        var (ana, channel) = await ChannelAsync();
        await AppendManyAsync(channel, ana, 3);

        // SQLite reads a negative LIMIT as "no limit"; PostgreSQL refuses it. Neither may be reached.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListMessagesAfterSeqAsync(channel.Id, 0, 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListMessagesAfterSeqAsync(channel.Id, 0, -2, CancellationToken.None));
    }

    [Fact]
    public async Task AnEditReplacesTheContentKeepsIdSeqAndCreationAndShowsInEveryRead()
    {
        var (ana, channel) = await ChannelAsync();
        var messages = await AppendManyAsync(channel, ana, 3);
        var second = messages[1];
        Assert.True(await Store.PinAsync(channel.Id, second.Id, ana.Id, T0, CancellationToken.None));
        Assert.All(messages, m => Assert.Null(m.EditedAt));

        var edited = await Store.EditMessageAsync(second.Id, "fixed typo", T0.AddMinutes(1), CancellationToken.None);

        Assert.Equal(second with { Content = "fixed typo", EditedAt = T0Ms.AddMinutes(1) }, edited);
        Assert.Equal(DateTimeKind.Utc, edited!.EditedAt!.Value.Kind);
        Assert.Equal(edited, await Store.GetMessageAsync(second.Id, CancellationToken.None));
        Assert.Equal([messages[0], edited, messages[2]], await Store.ListMessagesBeforeAsync(channel.Id, null, 100, CancellationToken.None));
        Assert.Equal([messages[0], edited, messages[2]], await Store.ListMessagesAfterSeqAsync(channel.Id, 0, 100, CancellationToken.None));
        Assert.Equal([edited], (await Store.ListPinnedAsync(channel.Id, null, 10, CancellationToken.None)).Select(p => p.Message));
        Assert.Equal([edited], await Store.ListPinnedAsync(channel.Id, CancellationToken.None));

        // A second edit moves the edit time; no edit takes a seq.
        var again = await Store.EditMessageAsync(second.Id, "fixed again", T0.AddMinutes(2), CancellationToken.None);
        Assert.Equal(second with { Content = "fixed again", EditedAt = T0Ms.AddMinutes(2) }, again);
        Assert.Equal(3, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))!.LastSeq);
        Assert.Equal(4, (await Store.AppendMessageAsync(Message(channel, ana, "after"), CancellationToken.None)).Message.Seq);
    }

    [Fact]
    public async Task AnEditedNewestMessageIsTheConversationsLastMessage()
    {
        var ana = await UserAsync();
        var ben = await UserAsync();
        var (dm, _) = await Store.GetOrCreateDmChannelAsync(ana.Id, ben.Id, T0, CancellationToken.None);
        var sent = (await Store.AppendMessageAsync(Message(dm, ana, "helo"), CancellationToken.None)).Message;

        var edited = await Store.EditMessageAsync(sent.Id, "hello", T0.AddSeconds(30), CancellationToken.None);

        var conversation = Assert.Single(await Store.ListConversationsAsync(ben.Id, null, 10, 1000, CancellationToken.None));
        Assert.Equal(edited, conversation.LastMessage);
        // The activity that orders conversations is the message's creation: an edit does not bring a DM to the top.
        Assert.Equal(sent.CreatedAt, conversation.ActivityAt);
    }

    [Fact]
    public async Task ADeletedOrUnknownMessageIsNotEdited()
    {
        var (ana, channel) = await ChannelAsync();
        var message = (await Store.AppendMessageAsync(Message(channel, ana, "original"), CancellationToken.None)).Message;
        Assert.True(await Store.DeleteMessageAsync(message.Id, T0, CancellationToken.None));

        Assert.Null(await Store.EditMessageAsync(message.Id, "back to life?", T0.AddMinutes(1), CancellationToken.None));
        Assert.Null(await Store.EditMessageAsync(-1, "nothing", T0, CancellationToken.None));

        Assert.Equal(message with { Deleted = true }, await Store.GetMessageAsync(message.Id, CancellationToken.None));
        Assert.Empty(await Store.ListMessagesBeforeAsync(channel.Id, null, 100, CancellationToken.None));
    }

    [Fact]
    public async Task DeletedMessagesAreLeftOutOfHistoryReplayAndPins()
    {
        var (ana, channel) = await ChannelAsync();
        var messages = await AppendManyAsync(channel, ana, 5);
        var third = messages[2];
        Assert.True(await Store.PinAsync(channel.Id, third.Id, ana.Id, T0, CancellationToken.None));

        Assert.True(await Store.DeleteMessageAsync(third.Id, T0.AddMinutes(1), CancellationToken.None));
        Assert.False(await Store.DeleteMessageAsync(third.Id, T0.AddMinutes(2), CancellationToken.None));
        Assert.False(await Store.DeleteMessageAsync(-1, T0, CancellationToken.None));

        Assert.Equal(third with { Deleted = true }, await Store.GetMessageAsync(third.Id, CancellationToken.None));
        Assert.Equal([1, 2, 4, 5], (await Store.ListMessagesBeforeAsync(channel.Id, null, 100, CancellationToken.None)).Select(m => m.Seq));
        Assert.Equal([1, 2], (await Store.ListMessagesBeforeAsync(channel.Id, messages[3].Id, 100, CancellationToken.None)).Select(m => m.Seq));
        Assert.Equal([1, 2, 4, 5], (await Store.ListMessagesAfterSeqAsync(channel.Id, 0, 100, CancellationToken.None)).Select(m => m.Seq));
        Assert.Empty(await Store.ListPinnedAsync(channel.Id, CancellationToken.None));
        // A deleted message keeps its seq: the next message does not reuse it.
        Assert.Equal(6, (await Store.AppendMessageAsync(Message(channel, ana, "after"), CancellationToken.None)).Message.Seq);
    }

    // ---- reads, unread counts, pins ----

    [Fact]
    public async Task ReadReceiptsAreIdempotent()
    {
        var (ana, channel) = await ChannelAsync();
        var ben = await MemberAsync(channel);
        var carl = await MemberAsync(channel);
        var messages = await AppendManyAsync(channel, ana, 3);

        Assert.True(await Store.MarkReadAsync(messages[0].Id, ben.Id, T0, CancellationToken.None));
        Assert.False(await Store.MarkReadAsync(messages[0].Id, ben.Id, T0.AddSeconds(5), CancellationToken.None));
        Assert.True(await Store.MarkReadAsync(messages[0].Id, carl.Id, T0.AddSeconds(1), CancellationToken.None));
        Assert.True(await Store.MarkReadAsync(messages[1].Id, ben.Id, T0, CancellationToken.None));

        var readers = await Store.GetReadersAsync(messages, CancellationToken.None);
        Assert.Equal([ben.Id, carl.Id], readers[messages[0].Id]);
        Assert.Equal([ben.Id], readers[messages[1].Id]);
        Assert.False(readers.ContainsKey(messages[2].Id));
        Assert.Empty(await Store.GetReadersAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task UnreadCountsLeaveOutOwnReadAndDeletedMessages()
    {
        var (ana, channel) = await ChannelAsync();
        var ben = await MemberAsync(channel);
        var anas = await AppendManyAsync(channel, ana, 4);
        var bens = (await Store.AppendMessageAsync(Message(channel, ben, "from ben"), CancellationToken.None)).Message;

        Assert.Equal(4, await Store.CountUnreadAsync(channel.Id, ben.Id, 1000, CancellationToken.None));
        await Store.MarkReadAsync(anas[0].Id, ben.Id, T0, CancellationToken.None);
        Assert.Equal(3, await Store.CountUnreadAsync(channel.Id, ben.Id, 1000, CancellationToken.None));
        await Store.DeleteMessageAsync(anas[1].Id, T0, CancellationToken.None);
        Assert.Equal(2, await Store.CountUnreadAsync(channel.Id, ben.Id, 1000, CancellationToken.None));
        Assert.Equal(1, await Store.CountUnreadAsync(channel.Id, ana.Id, 1000, CancellationToken.None));
        await Store.MarkReadAsync(bens.Id, ana.Id, T0, CancellationToken.None);
        Assert.Equal(0, await Store.CountUnreadAsync(channel.Id, ana.Id, 1000, CancellationToken.None));
        var (_, otherChannel) = await ChannelAsync();
        Assert.Equal(0, await Store.CountUnreadAsync(otherChannel.Id, ben.Id, 1000, CancellationToken.None));
    }

    [Fact]
    public async Task TheReadCursorNeverMovesBack()
    {
        var (ana, channel) = await ChannelAsync();
        var ben = await MemberAsync(channel);
        var messages = await AppendManyAsync(channel, ana, 5);

        Assert.Equal(0, await Store.GetReadCursorAsync(channel.Id, ben.Id, CancellationToken.None));
        Assert.True(await Store.MarkReadAsync(messages[3].Id, ben.Id, T0, CancellationToken.None));
        Assert.Equal(4, await Store.GetReadCursorAsync(channel.Id, ben.Id, CancellationToken.None));
        // An older message is already read: nothing moves, and the call says so.
        Assert.False(await Store.MarkReadAsync(messages[1].Id, ben.Id, T0.AddSeconds(1), CancellationToken.None));
        Assert.False(await Store.MarkReadAsync(messages[3].Id, ben.Id, T0.AddSeconds(2), CancellationToken.None));
        Assert.Equal(4, await Store.GetReadCursorAsync(channel.Id, ben.Id, CancellationToken.None));
        Assert.Equal(1, await Store.CountUnreadAsync(channel.Id, ben.Id, 1000, CancellationToken.None));
        Assert.True(await Store.MarkReadAsync(messages[4].Id, ben.Id, T0.AddSeconds(3), CancellationToken.None));
        Assert.Equal(5, await Store.GetReadCursorAsync(channel.Id, ben.Id, CancellationToken.None));
        Assert.False(await Store.MarkReadAsync(-1, ben.Id, T0, CancellationToken.None));
    }

    [Fact]
    public async Task ReadersAreDerivedFromCursorsWithoutTheAuthor()
    {
        var (ana, channel) = await ChannelAsync();
        var ben = await MemberAsync(channel);
        var carl = await MemberAsync(channel);
        var anas = await AppendManyAsync(channel, ana, 2);
        var bens = (await Store.AppendMessageAsync(Message(channel, ben, "from ben"), CancellationToken.None)).Message;

        await Store.MarkReadAsync(anas[1].Id, carl.Id, T0, CancellationToken.None);
        await Store.MarkReadAsync(bens.Id, ben.Id, T0, CancellationToken.None);
        await Store.MarkReadAsync(anas[0].Id, ana.Id, T0, CancellationToken.None);

        var readers = await Store.GetReadersAsync([.. anas, bens], CancellationToken.None);
        // Reading a message reads every earlier one; a user's cursor says nothing about their own messages.
        Assert.Equal([ben.Id, carl.Id], readers[anas[0].Id]);
        Assert.Equal([ben.Id, carl.Id], readers[anas[1].Id]);
        Assert.False(readers.ContainsKey(bens.Id));
    }

    [Fact]
    public async Task AnAuthorWhoHadReadEverythingHasReadTheirOwnMessage()
    {
        var (ana, channel) = await ChannelAsync();
        var ben = await MemberAsync(channel);
        await AppendManyAsync(channel, ana, 2);
        Assert.Equal(2, await Store.GetReadCursorAsync(channel.Id, ana.Id, CancellationToken.None));
        var bens = (await Store.AppendMessageAsync(Message(channel, ben, "unread by ana"), CancellationToken.None)).Message;
        Assert.Equal(0, await Store.GetReadCursorAsync(channel.Id, ben.Id, CancellationToken.None));

        await Store.AppendMessageAsync(Message(channel, ana, "ana has not read ben's"), CancellationToken.None);
        Assert.Equal(2, await Store.GetReadCursorAsync(channel.Id, ana.Id, CancellationToken.None));
        Assert.Equal(1, await Store.CountUnreadAsync(channel.Id, ana.Id, 1000, CancellationToken.None));
        await Store.MarkReadAsync(bens.Id, ana.Id, T0, CancellationToken.None);
        Assert.Equal(0, await Store.CountUnreadAsync(channel.Id, ana.Id, 1000, CancellationToken.None));
    }

    [Fact]
    public async Task UnreadCountsStopAtTheLimit()
    {
        var (ana, channel) = await ChannelAsync();
        var ben = await MemberAsync(channel);
        var messages = await AppendManyAsync(channel, ana, 12);

        Assert.Equal(10, await Store.CountUnreadAsync(channel.Id, ben.Id, 10, CancellationToken.None));
        Assert.Equal(12, await Store.CountUnreadAsync(channel.Id, ben.Id, 1000, CancellationToken.None));
        await Store.MarkReadAsync(messages[4].Id, ben.Id, T0, CancellationToken.None);
        Assert.Equal(7, await Store.CountUnreadAsync(channel.Id, ben.Id, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ConversationsPageByNewestActivityAndFallBackWhenTheNewestIsDeleted()
    {
        var ana = await UserAsync();
        var partners = new List<UserRecord>();
        var dms = new List<ChannelRecord>();
        for (var i = 0; i < 3; i++)
        {
            partners.Add(await UserAsync());
            dms.Add((await Store.GetOrCreateDmChannelAsync(ana.Id, partners[i].Id, T0.AddSeconds(i), CancellationToken.None)).Channel);
        }
        // dms[2] is the newest by creation; a message makes dms[0] newer; the same millisecond orders by message id.
        var first = (await Store.AppendMessageAsync(Message(dms[0], partners[0], "old", at: T0.AddSeconds(10)), CancellationToken.None)).Message;
        var second = (await Store.AppendMessageAsync(Message(dms[0], ana, "new", at: T0.AddSeconds(20)), CancellationToken.None)).Message;
        var tie = (await Store.AppendMessageAsync(Message(dms[1], partners[1], "same ms", at: T0.AddSeconds(20)), CancellationToken.None)).Message;

        var all = await Store.ListConversationsAsync(ana.Id, null, 10, 1000, CancellationToken.None);
        Assert.Equal([dms[1].Id, dms[0].Id, dms[2].Id], all.Select(c => c.Channel.Id));
        Assert.Equal(tie, all[0].LastMessage);
        Assert.Equal(1, all[0].UnreadCount);
        Assert.Equal(partners[1].Id, all[0].Partner.Id);
        Assert.Equal("", all[0].Partner.PasswordHash);
        Assert.Null(all[2].LastMessage);
        Assert.Equal(T0Ms.AddSeconds(2), all[2].ActivityAt);
        var page1 = await Store.ListConversationsAsync(ana.Id, null, 2, 1000, CancellationToken.None);
        var last = page1[^1];
        var page2 = await Store.ListConversationsAsync(ana.Id, new ActivityKey(last.ActivityAt, last.LastMessageId, last.Channel.Id), 2, 1000, CancellationToken.None);
        Assert.Equal(all.Select(c => c.Channel.Id), page1.Concat(page2).Select(c => c.Channel.Id));

        // Readers of the newest message come from the cursors: partners[0] reads ana's message.
        await Store.MarkReadAsync(second.Id, partners[0].Id, T0, CancellationToken.None);
        Assert.Equal([partners[0].Id], (await Store.ListConversationsAsync(ana.Id, null, 10, 1000, CancellationToken.None))[1].LastMessageReaders);

        Assert.True(await Store.DeleteMessageAsync(second.Id, T0, CancellationToken.None));
        var afterDelete = await Store.ListConversationsAsync(ana.Id, null, 10, 1000, CancellationToken.None);
        Assert.Equal([dms[1].Id, dms[0].Id, dms[2].Id], afterDelete.Select(c => c.Channel.Id));
        Assert.Equal(first, afterDelete[1].LastMessage);
        Assert.Equal(T0Ms.AddSeconds(10), afterDelete[1].ActivityAt);
        Assert.True(await Store.DeleteMessageAsync(first.Id, T0, CancellationToken.None));
        var empty = await Store.ListConversationsAsync(ana.Id, null, 10, 1000, CancellationToken.None);
        Assert.Equal([dms[1].Id, dms[2].Id, dms[0].Id], empty.Select(c => c.Channel.Id));
        Assert.Null(empty[2].LastMessage);
        Assert.Equal((T0Ms, 0L), (empty[2].ActivityAt, empty[2].LastMessageId));
        Assert.Equal([dms[0].Id, dms[1].Id, dms[2].Id], (await Store.ListDmChannelsAsync(ana.Id, 0, 10, CancellationToken.None)).Select(d => d.Channel.Id));
        Assert.Equal([dms[1].Id, dms[2].Id], (await Store.ListDmChannelsAsync(ana.Id, dms[0].Id, 10, CancellationToken.None)).Select(d => d.Channel.Id));
        Assert.Equal([dms[0].Id], (await Store.ListDmChannelsAsync(partners[0].Id, 0, 10, CancellationToken.None)).Select(d => d.Channel.Id));
        Assert.Equal(ana.Id, (await Store.ListDmChannelsAsync(partners[0].Id, 0, 10, CancellationToken.None))[0].Partner.Id);
    }

    [Fact]
    public async Task PinsPageInPinOrder()
    {
        var (ana, channel) = await ChannelAsync();
        var messages = await AppendManyAsync(channel, ana, 4);
        await Store.PinAsync(channel.Id, messages[3].Id, ana.Id, T0, CancellationToken.None);
        await Store.PinAsync(channel.Id, messages[1].Id, ana.Id, T0, CancellationToken.None);
        await Store.PinAsync(channel.Id, messages[0].Id, ana.Id, T0.AddSeconds(1), CancellationToken.None);

        var page1 = await Store.ListPinnedAsync(channel.Id, null, 2, CancellationToken.None);
        var page2 = await Store.ListPinnedAsync(channel.Id, new PinKey(page1[^1].PinnedAt, page1[^1].Message.Id), 2, CancellationToken.None);

        Assert.Equal([messages[1], messages[3]], page1.Select(p => p.Message));
        Assert.Equal([messages[0]], page2.Select(p => p.Message));
        Assert.Equal(T0Ms.AddSeconds(1), page2[0].PinnedAt);
    }

    [Fact]
    public async Task PinsAreIdempotentAndListedInPinOrder()
    {
        var (ana, channel) = await ChannelAsync();
        var messages = await AppendManyAsync(channel, ana, 3);
        var (_, otherChannel) = await ChannelAsync();

        Assert.True(await Store.PinAsync(channel.Id, messages[2].Id, ana.Id, T0, CancellationToken.None));
        Assert.True(await Store.PinAsync(channel.Id, messages[0].Id, ana.Id, T0.AddSeconds(1), CancellationToken.None));
        Assert.False(await Store.PinAsync(channel.Id, messages[2].Id, ana.Id, T0.AddSeconds(2), CancellationToken.None));
        Assert.Equal([messages[2], messages[0]], await Store.ListPinnedAsync(channel.Id, CancellationToken.None));
        Assert.Empty(await Store.ListPinnedAsync(otherChannel.Id, CancellationToken.None));

        Assert.True(await Store.UnpinAsync(channel.Id, messages[2].Id, CancellationToken.None));
        Assert.False(await Store.UnpinAsync(channel.Id, messages[2].Id, CancellationToken.None));
        Assert.Equal([messages[0]], await Store.ListPinnedAsync(channel.Id, CancellationToken.None));
    }

    // ---- cancellation ----

    [Fact]
    public async Task AWriteCancelledBeforeItStartsChangesNothing()
    {
        var (owner, channel) = await ChannelAsync();
        var sent = await Store.AppendMessageAsync(Message(channel, owner, "kept"), CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AppendMessageAsync(Message(channel, owner, "never stored", "k1"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.DeleteMessageAsync(sent.Message.Id, T0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.EditMessageAsync(sent.Message.Id, "changed", T0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateChannelAsync(channel.WorkspaceId!.Value, "never", ChannelTypes.Text, null, T0, cancelled.Token));

        // Nothing of it happened: no seq taken, the message neither deleted nor edited, no channel created.
        Assert.Null(await Store.FindMessageByClientMsgIdAsync(channel.Id, owner.Id, "k1", CancellationToken.None));
        Assert.Equal([sent.Message], await Store.ListMessagesBeforeAsync(channel.Id, null, 10, CancellationToken.None));
        Assert.Equal(sent.Message.Seq, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))!.LastSeq);
        Assert.Equal([channel.Id], (await Store.ListChannelsAsync(channel.WorkspaceId!.Value, CancellationToken.None)).Select(c => c.Id));
        var next = await Store.AppendMessageAsync(Message(channel, owner, "next"), CancellationToken.None);
        Assert.Equal(sent.Message.Seq + 1, next.Message.Seq);
    }

    [Fact]
    public async Task AReadWithACancelledTokenIsCancelled()
    {
        var (owner, channel) = await ChannelAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListMessagesBeforeAsync(channel.Id, null, 10, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetUserAsync(owner.Id, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PingAsync(cancelled.Token));
    }

    // ---- schema migrations ----

    [Fact]
    public async Task AnEmptyDatabaseMigratesToTheLatestVersion()
    {
        var store = CreateStore(await EmptyDatabaseAsync());
        _stores.Add(store);
        Assert.Equal(0, await SchemaVersionAsync(store));

        await store.MigrateAsync(CancellationToken.None);

        Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(store));
        var user = await store.CreateUserAsync(UniqueName("first"), "First", "student", "hash", T0, CancellationToken.None);
        Assert.Equal(user, await store.GetUserAsync(user.Id, CancellationToken.None));
    }

    [Fact]
    public async Task MigratingAgainChangesNothing()
    {
        var (ana, channel) = await ChannelAsync();
        var messages = await AppendManyAsync(channel, ana, 3);

        await Store.MigrateAsync(CancellationToken.None);
        var second = await OpenAsync(await SharedDatabaseAsync());

        Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(second));
        Assert.Equal(messages, await second.ListMessagesBeforeAsync(channel.Id, null, 100, CancellationToken.None));
    }

    [Fact]
    public async Task UpgradingFromVersion1KeepsTheData()
    {
        var database = await EmptyDatabaseAsync();
        var v1 = CreateStore(database);
        _stores.Add(v1);
        await MigrateToAsync(v1, 1);
        Assert.Equal(1, await SchemaVersionAsync(v1));

        var ana = await Version1UserAsync(database, UniqueName("ana"), "Ana", "teacher");
        var ben = await Version1UserAsync(database, UniqueName("ben"), "Ben", "student");
        var session = new SessionRecord(UniqueName("session"), ana.Id, T0Ms, T0Ms.AddDays(7));
        await v1.CreateSessionAsync(session, CancellationToken.None);
        var token = await v1.CreateApiTokenAsync(ana.Id, "bot", UniqueName("token"), T0, CancellationToken.None);
        var workspace = await v1.CreateWorkspaceAsync("w", "d", ana.Id, T0, CancellationToken.None);
        await v1.AddMemberAsync(workspace.Id, ben.Id, WorkspaceRoles.Member, T0, CancellationToken.None);
        // Channels, messages and receipts as version 1 wrote them (the store's own code writes the latest schema).
        var channel = await LegacyChannelAsync(database, workspace, "general");
        var dm = await LegacyDmAsync(database, ana, ben);
        var keyed = await LegacyMessageAsync(database, channel, ana, "keyed", "k-1", T0);
        var plain = await LegacyMessageAsync(database, channel, ben, "plain", null, T0.AddSeconds(1));
        var doomed = await LegacyMessageAsync(database, channel, ana, "doomed", null, T0.AddSeconds(2));
        await LegacyScalarAsync(database, $"UPDATE messages SET deleted_at = {TimeLiteral(T0)} WHERE id = {doomed.Id} RETURNING id");
        await LegacyReceiptAsync(database, keyed, ben);
        await v1.PinAsync(channel.Id, plain.Id, ana.Id, T0, CancellationToken.None);
        await CloseAsync(v1);

        var upgraded = await OpenAsync(database);

        Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(upgraded));
        Assert.Equal(ana, await upgraded.FindUserByUsernameAsync(ana.Username, CancellationToken.None));
        Assert.Equal(session, await upgraded.GetSessionAsync(session.IdHash, CancellationToken.None));
        Assert.Equal(token, await upgraded.FindApiTokenAsync(token.TokenHash, CancellationToken.None));
        Assert.Equal([workspace], await upgraded.ListWorkspacesOfUserAsync(ben.Id, CancellationToken.None));
        Assert.Equal(channel with { LastSeq = 3 }, await upgraded.GetChannelAsync(channel.Id, CancellationToken.None));
        Assert.Equal(dm, await upgraded.FindDmChannelAsync(ben.Id, ana.Id, CancellationToken.None));
        Assert.Equal([keyed, plain], await upgraded.ListMessagesBeforeAsync(channel.Id, null, 100, CancellationToken.None));
        Assert.Equal([ben.Id], (await upgraded.GetReadersAsync([keyed], CancellationToken.None))[keyed.Id]);
        Assert.Equal([plain], await upgraded.ListPinnedAsync(channel.Id, CancellationToken.None));
        Assert.Equal(keyed, (await upgraded.AppendMessageAsync(Message(channel, ana, "keyed again", "k-1"), CancellationToken.None)).Message);
        Assert.Equal(4, (await upgraded.AppendMessageAsync(Message(channel, ana, "after the upgrade"), CancellationToken.None)).Message.Seq);
    }

    [Fact]
    public async Task UpgradingFromVersion2TurnsReadReceiptsIntoCursors()
    {
        var database = await EmptyDatabaseAsync();
        var v2 = CreateStore(database);
        _stores.Add(v2);
        await MigrateToAsync(v2, 2);
        var ana = await Version1UserAsync(database, UniqueName("ana"), "Ana", "teacher");
        var ben = await Version1UserAsync(database, UniqueName("ben"), "Ben", "student");
        var carl = await Version1UserAsync(database, UniqueName("carl"), "Carl", "student");
        var workspace = await v2.CreateWorkspaceAsync("w", null, ana.Id, T0, CancellationToken.None);
        var general = await LegacyChannelAsync(database, workspace, "general");
        var other = await LegacyChannelAsync(database, workspace, "other");
        var dm = await LegacyDmAsync(database, ana, ben);
        var inGeneral = new List<StoredMessage>();
        for (var i = 0; i < 5; i++)
        {
            inGeneral.Add(await LegacyMessageAsync(database, general, ana, $"g{i}", null, T0));
        }
        var inOther = await LegacyMessageAsync(database, other, ana, "o", null, T0);
        var inDm = await LegacyMessageAsync(database, dm, ana, "dm", null, T0);
        // Version 2 stored one receipt per message and reader, in any order.
        await LegacyReceiptAsync(database, inGeneral[3], ben);
        await LegacyReceiptAsync(database, inGeneral[1], ben);
        await LegacyReceiptAsync(database, inGeneral[0], carl);
        await LegacyReceiptAsync(database, inDm, ben);
        await CloseAsync(v2);

        var upgraded = await OpenAsync(database);

        Assert.Equal(LatestSchemaVersion, await SchemaVersionAsync(upgraded));
        Assert.Equal(4, await upgraded.GetReadCursorAsync(general.Id, ben.Id, CancellationToken.None));
        Assert.Equal(1, await upgraded.GetReadCursorAsync(general.Id, carl.Id, CancellationToken.None));
        Assert.Equal(0, await upgraded.GetReadCursorAsync(other.Id, ben.Id, CancellationToken.None));
        Assert.Equal(1, await upgraded.GetReadCursorAsync(dm.Id, ben.Id, CancellationToken.None));
        Assert.Equal(1, await upgraded.CountUnreadAsync(general.Id, ben.Id, 1000, CancellationToken.None));
        Assert.Equal(4, await upgraded.CountUnreadAsync(general.Id, carl.Id, 1000, CancellationToken.None));
        Assert.Equal(1, await upgraded.CountUnreadAsync(other.Id, ben.Id, 1000, CancellationToken.None));
        Assert.Equal(0, await upgraded.CountUnreadAsync(dm.Id, ben.Id, 1000, CancellationToken.None));
        var readers = await upgraded.GetReadersAsync([.. inGeneral, inOther, inDm], CancellationToken.None);
        // Every receipt is kept: each message read before is still read by the same users.
        Assert.Equal([ben.Id, carl.Id], readers[inGeneral[0].Id]);
        Assert.Equal([ben.Id], readers[inGeneral[1].Id]);
        Assert.Equal([ben.Id], readers[inGeneral[3].Id]);
        Assert.False(readers.ContainsKey(inGeneral[4].Id));
        Assert.False(readers.ContainsKey(inOther.Id));
        Assert.Equal([ben.Id], readers[inDm.Id]);
        Assert.False(await upgraded.MarkReadAsync(inGeneral[2].Id, ben.Id, T0, CancellationToken.None));
        Assert.True(await upgraded.MarkReadAsync(inGeneral[4].Id, ben.Id, T0, CancellationToken.None));
    }

    // ---- helpers ----

    private async Task<UserRecord> Version1UserAsync(string database, string username, string displayName, string role)
    {
        // Users as versions 1 and 2 stored them: before the host's external id.
        var id = await LegacyScalarAsync(database,
            "INSERT INTO users (username, username_normalized, display_name, role, password_hash, created_at) " +
            $"VALUES ('{username}', '{username.ToUpperInvariant()}', '{displayName}', '{role}', 'hash', {TimeLiteral(T0)}) RETURNING id");
        return new UserRecord(id, username, displayName, role, "hash", T0Ms);
    }

    /// <summary>
    /// Runs SQL on <paramref name="database"/> past the store, to write rows the way an earlier schema version did
    /// (the store's code writes the latest one); the first column of the first row, as a number.
    /// </summary>
    protected abstract Task<long> LegacyScalarAsync(string database, string sql);

    /// <summary>A time as a literal of the backend's SQL.</summary>
    protected abstract string TimeLiteral(DateTime time);

    private async Task<ChannelRecord> LegacyChannelAsync(string database, WorkspaceRecord workspace, string name)
    {
        var id = await LegacyScalarAsync(database,
            $"INSERT INTO channels (workspace_id, name, type, created_at) VALUES ({workspace.Id}, '{name}', 'text', {TimeLiteral(T0)}) RETURNING id");
        return new ChannelRecord(id, workspace.Id, name, ChannelTypes.Text, null, null, null, 0, T0Ms);
    }

    private async Task<ChannelRecord> LegacyDmAsync(string database, UserRecord a, UserRecord b)
    {
        var (low, high) = (Math.Min(a.Id, b.Id), Math.Max(a.Id, b.Id));
        var id = await LegacyScalarAsync(database,
            $"INSERT INTO channels (workspace_id, name, type, dm_user_low, dm_user_high, created_at) VALUES (NULL, 'dm-{low}-{high}', 'dm', {low}, {high}, {TimeLiteral(T0)}) RETURNING id");
        return new ChannelRecord(id, null, $"dm-{low}-{high}", ChannelTypes.Dm, null, low, high, 0, T0Ms);
    }

    private async Task<StoredMessage> LegacyMessageAsync(string database, ChannelRecord channel, UserRecord author, string content, string? clientMsgId, DateTime at)
    {
        var seq = await LegacyScalarAsync(database, $"UPDATE channels SET last_seq = last_seq + 1 WHERE id = {channel.Id} RETURNING last_seq");
        var key = clientMsgId is null ? "NULL" : $"'{clientMsgId}'";
        var id = await LegacyScalarAsync(database,
            "INSERT INTO messages (channel_id, seq, author_id, content, message_type, file_url, client_msg_id, created_at) " +
            $"VALUES ({channel.Id}, {seq}, {author.Id}, '{content}', 'text', NULL, {key}, {TimeLiteral(at)}) RETURNING id");
        var ms = new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        return new StoredMessage(id, channel.Id, seq, author.Id, author.Username, content, "text", null, clientMsgId, ms, false, null);
    }

    private Task<long> LegacyReceiptAsync(string database, StoredMessage message, UserRecord reader) =>
        LegacyScalarAsync(database, $"INSERT INTO read_receipts (message_id, user_id, read_at) VALUES ({message.Id}, {reader.Id}, {TimeLiteral(T0)}) RETURNING message_id");

    /// <summary>A migrated store on <paramref name="database"/>, disposed with the test.</summary>
    protected async Task<IChatStore> OpenAsync(string database)
    {
        var store = CreateStore(database);
        _stores.Add(store);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>One store per node on this test's database, <see cref="Store"/> first.</summary>
    protected async Task<IChatStore[]> OpenNodesAsync()
    {
        var nodes = new List<IChatStore> { Store };
        while (nodes.Count < Nodes)
        {
            nodes.Add(await OpenAsync(await SharedDatabaseAsync()));
        }
        return [.. nodes];
    }

    private async Task CloseAsync(IChatStore store)
    {
        _stores.Remove(store);
        await ((IAsyncDisposable)store).DisposeAsync();
    }

    protected static string UniqueName(string prefix) => $"{prefix}{Interlocked.Increment(ref _names)}";

    private Task<UserRecord> UserAsync() => Store.CreateUserAsync(UniqueName("user"), "A User", "student", "hash", T0, CancellationToken.None);

    /// <summary>A user who owns a workspace with one text channel.</summary>
    protected async Task<(UserRecord Owner, ChannelRecord Channel)> ChannelAsync()
    {
        var owner = await UserAsync();
        var workspace = await Store.CreateWorkspaceAsync("w", null, owner.Id, T0, CancellationToken.None);
        return (owner, await Store.CreateChannelAsync(workspace.Id, "general", ChannelTypes.Text, null, T0, CancellationToken.None));
    }

    private async Task<UserRecord> MemberAsync(ChannelRecord channel)
    {
        var user = await UserAsync();
        await Store.AddMemberAsync(channel.WorkspaceId!.Value, user.Id, WorkspaceRoles.Member, T0, CancellationToken.None);
        return user;
    }

    protected static NewMessage Message(ChannelRecord channel, UserRecord author, string content, string? clientMsgId = null, DateTime? at = null) =>
        new(channel.Id, author.Id, author.Username, content, "text", null, clientMsgId, at ?? T0);

    private async Task<List<StoredMessage>> AppendManyAsync(ChannelRecord channel, UserRecord author, int count)
    {
        var messages = new List<StoredMessage>();
        for (var i = 1; i <= count; i++)
        {
            messages.Add((await Store.AppendMessageAsync(Message(channel, author, $"message {i}", at: T0.AddSeconds(i)), CancellationToken.None)).Message);
        }
        return messages;
    }
}
