using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Storage;

/// <summary>The real server with <c>Storage:Provider=postgres</c>: what goes in over a socket comes back over HTTP.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer postgres) : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync()
    {
        var database = await postgres.GetOrCreateDatabaseAsync(nameof(PostgresServerTests));
        _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["ConnectionStrings:Chat"] = database,
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MessageSentOverTheSocketIsReadBackOverHttp()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server, members: 1);
        await using var socket = await scenario.JoinAsync(_server, scenario.Owner);

        await socket.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "stored in postgres", clientMsgId = "pg-1" });
        var echo = (await socket.WaitForAsync("new_message")).GetProperty("message");
        await socket.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "a retry", clientMsgId = "pg-1" });
        var repeat = (await socket.WaitForAsync("new_message")).GetProperty("message");

        Assert.Equal(1, echo.GetProperty("seq").GetInt64());
        Assert.Equal(echo.GetProperty("id").GetInt64(), repeat.GetProperty("id").GetInt64());
        var (status, history) = await scenario.Members[0].GetAsync($"/api/channels/{scenario.ChannelId}/messages");
        Assert.Equal(HttpStatusCode.OK, status);
        var message = Assert.Single(history.EnumerateArray());
        Assert.Equal(echo.GetProperty("id").GetInt64(), message.GetProperty("id").GetInt64());
        Assert.Equal("stored in postgres", message.GetProperty("content").GetString());
        Assert.Equal(scenario.Owner.UserId, message.GetProperty("authorId").GetInt64());
        Assert.Equal("pg-1", message.GetProperty("clientMsgId").GetString());
        Assert.Equal(echo.GetProperty("createdAt").GetString(), message.GetProperty("createdAt").GetString());
        Assert.Equal(JsonValueKind.Array, message.GetProperty("readBy").ValueKind);
    }
}
