using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Parley.Server.Storage;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// Writes that meet a full database all complete: those SQLite could not commit fail, the acknowledged ones
/// stay stored, and the writer keeps working once there is room again. Two ways to be full: a real file system
/// (a 2 MB tmpfs the test mounts, which needs root), where SQLite rolls back the whole transaction and the
/// writer used to leave the rest of the batch waiting for ever; and <c>PRAGMA max_page_count</c> on the
/// writer, where SQLite rolls back only the failing statement.
/// </summary>
public sealed class SqliteFullDatabaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTime T0 = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    private readonly string _folder = Directory.CreateTempSubdirectory("parley-full-").FullName;
    private SqliteChatStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteChatStore($"Data Source={Path.Combine(_folder, "chat.db")}", Options.Create(new StorageOptions { SqliteSynchronous = "NORMAL" }));
        await _store.MigrateAsync(CancellationToken.None).WaitAsync(Timeout);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task EveryWriteOfABatchThatFillsTheFileSystemCompletes()
    {
        var mount = Directory.CreateTempSubdirectory("parley-tmpfs-").FullName;
        var mounted = Run("mount", $"-t tmpfs -o size=2m tmpfs {mount}");
        try
        {
            Assert.True(mounted, "mounting a small tmpfs needs root (CAP_SYS_ADMIN)");
            await using var store = new SqliteChatStore($"Data Source={Path.Combine(mount, "chat.db")}", Options.Create(new StorageOptions { SqliteSynchronous = "NORMAL" }));
            await store.MigrateAsync(CancellationToken.None).WaitAsync(Timeout);
            var ana = await store.CreateUserAsync("ana", "Ana", "student", "hash", T0, CancellationToken.None);
            var workspace = await store.CreateWorkspaceAsync("w", null, ana.Id, T0, CancellationToken.None);
            var channel = await store.CreateChannelAsync(workspace.Id, "general", "text", null, T0, CancellationToken.None);
            var first = await store.AppendMessageAsync(new(channel.Id, ana.Id, ana.Username, "first", "text", null, null, T0), CancellationToken.None).WaitAsync(Timeout);

            var writes = Enumerable.Range(10, 100).Select(i => store.AppendMessageAsync(new(channel.Id, ana.Id, ana.Username, $"{i}:" + new string('x', 60_000), "text", null, null, T0), CancellationToken.None)).ToList();
            var saved = new List<long>();
            var failures = new List<Exception>();
            foreach (var write in writes)
            {
                try
                {
                    saved.Add((await write.WaitAsync(Timeout)).Message.Id);
                }
                catch (Exception ex) when (ex is not TimeoutException)
                {
                    failures.Add(ex);
                }
            }

            Assert.NotEmpty(failures);
            // The cause (SQLITE_FULL), which the chat core answers with "Failed to save message.".
            Assert.All(failures, ex => Assert.IsType<SqliteException>(ex));
            var stored = (await store.ListMessagesAfterSeqAsync(channel.Id, 0, 1000, CancellationToken.None)).Select(m => m.Id).ToList();
            Assert.Equal([first.Message.Id, .. saved], stored);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (mounted)
            {
                Run("umount", mount);
            }
            Directory.Delete(mount, recursive: true);
        }
    }

    private static bool Run(string file, string arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, arguments) { RedirectStandardError = true });
        process!.WaitForExit(10_000);
        return process.HasExited && process.ExitCode == 0;
    }

    [Fact]
    public async Task EveryWriteOfABatchThatHitsAFullDatabaseCompletesAndAcknowledgedOnesStayStored()
    {
        var ana = await _store.CreateUserAsync("ana", "Ana", "student", "hash", T0, CancellationToken.None);
        var workspace = await _store.CreateWorkspaceAsync("w", null, ana.Id, T0, CancellationToken.None);
        var channel = await _store.CreateChannelAsync(workspace.Id, "general", "text", null, T0, CancellationToken.None);
        NewMessage Message(int i, int size) => new(channel.Id, ana.Id, ana.Username, $"{i}:" + new string('x', size), "text", null, null, T0.AddSeconds(i));
        var before = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            before.Add((await _store.AppendMessageAsync(Message(i, 10), CancellationToken.None).WaitAsync(Timeout)).Message.Id);
        }

        await _store.CapSizeAsync(extraPages: 8).WaitAsync(Timeout);
        // Queued together, so they share batches; large enough that the cap is met within one.
        var writes = Enumerable.Range(10, 60).Select(i => _store.AppendMessageAsync(Message(i, 3000), CancellationToken.None)).ToList();
        var outcomes = new List<(bool Saved, long Id)>();
        foreach (var write in writes)
        {
            try
            {
                outcomes.Add((true, (await write.WaitAsync(Timeout)).Message.Id));
            }
            catch (SqliteException)
            {
                outcomes.Add((false, 0));
            }
        }

        Assert.Contains(outcomes, o => !o.Saved);
        var stored = (await _store.ListMessagesAfterSeqAsync(channel.Id, 0, 1000, CancellationToken.None)).Select(m => m.Id).ToHashSet();
        Assert.All(before, id => Assert.Contains(id, stored));
        Assert.All(outcomes.Where(o => o.Saved), o => Assert.Contains(o.Id, stored));
        Assert.Equal(3 + outcomes.Count(o => o.Saved), stored.Count);

        await _store.CapSizeAsync(extraPages: 100_000).WaitAsync(Timeout);
        var after = await _store.AppendMessageAsync(Message(100, 3000), CancellationToken.None).WaitAsync(Timeout);
        Assert.Contains(after.Message.Id, (await _store.ListMessagesAfterSeqAsync(channel.Id, 0, 1000, CancellationToken.None)).Select(m => m.Id));
    }
}
