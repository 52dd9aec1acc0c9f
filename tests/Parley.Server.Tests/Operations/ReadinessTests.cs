using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Operations;

/// <summary>Readiness follows the real dependencies: a PostgreSQL server of this class's own that the test stops and starts.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task ReadinessIs503NamingTheStoreWhilePostgresIsDownAnd200AfterItsRestart()
    {
        var database = await _postgres.CreateDatabaseAsync("ready");
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["ConnectionStrings:Chat"] = database,
        }).WaitAsync(Timeout);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/ready")).StatusCode);

        await _postgres.StopServerAsync();
        // HttpClient's 5 s timeout is the bound: the answer must come within it.
        using var down = await http.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        using var body = JsonDocument.Parse(await down.Content.ReadAsStringAsync());
        Assert.Contains(body.RootElement.GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "store" && c.GetProperty("status").GetString() == "Unhealthy");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);

        await _postgres.StartServerAgainAsync();
        // The pool may hand out a connection broken by the restart once: wait for the condition, bounded.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        HttpStatusCode status;
        while ((status = (await http.GetAsync("/healthz/ready", deadline.Token)).StatusCode) != HttpStatusCode.OK)
        {
            await Task.Delay(200, deadline.Token);
        }
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
