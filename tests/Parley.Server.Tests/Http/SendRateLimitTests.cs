using System.Diagnostics;
using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// POST /api/messages draws on the per-user send bucket (capacity 5, 5 tokens every 5 s by default) shared with
/// the sockets: over the limit it answers 429 with Retry-After and stores nothing.
/// </summary>
public sealed class SendRateLimitTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private async Task<(ApiClient Ana, ApiClient Ben, long Channel)> ChannelAsync()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        return (ana, ben, await ana.CreateChannelAsync(workspace));
    }

    private static HttpRequestMessage Send(ParleyTestServer server, ApiClient client, long channel, string content, string? clientMsgId = null) =>
        RawHttp.Request(server, HttpMethod.Post, "/api/messages", new { channelId = channel, content, clientMsgId })
            .WithCookie(ApiClientExtensions.SessionCookieName, client.SessionId());

    [Fact]
    public async Task SixthSendIs429WithRetryAfterAndStoresNothing()
    {
        var (ana, _, channel) = await ChannelAsync();
        for (var i = 0; i < 5; i++)
        {
            await ana.SendMessageAsync(channel, $"m{i}");
        }

        var refused = await Send(Server, ana, channel, "one too many").SendAsync();

        ApiAssert.Error(HttpStatusCode.TooManyRequests, refused);
        Assert.Equal("You are sending messages too fast. Please wait.", refused.Json.GetProperty("message").GetString());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 5);
        Assert.Equal(5, (await ana.HistoryAsync(channel)).Length);
    }

    [Fact]
    public async Task TheBucketIsPerUser()
    {
        var (ana, ben, channel) = await ChannelAsync();
        for (var i = 0; i < 5; i++)
        {
            await ana.SendMessageAsync(channel, $"m{i}");
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Send(Server, ana, channel, "refused").SendAsync()).Status);

        await ben.SendMessageAsync(channel, "ben is not limited by ana");
    }

    [Fact]
    public async Task SocketAndHttpSendsShareTheBucket()
    {
        var (ana, _, channel) = await ChannelAsync();
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", ana);
        await socket.SendAsync(new { type = "join_channel", channelId = channel });
        await socket.WaitForAsync("joined_channel");
        for (var i = 0; i < 5; i++)
        {
            await socket.SendAsync(new { type = "send_message", channelId = channel, content = $"socket {i}" });
            await socket.WaitForAsync("new_message", f => f.GetProperty("message").GetProperty("content").GetString() == $"socket {i}");
        }

        ApiAssert.Error(HttpStatusCode.TooManyRequests, await Send(Server, ana, channel, "over http").SendAsync());
    }

    [Fact]
    public async Task RetryOfAnAcknowledgedSendSucceedsEvenWhenTheBucketIsEmpty()
    {
        var (ana, _, channel) = await ChannelAsync();
        var first = await ana.SendMessageAsync(channel, "m0", "retry-me");
        for (var i = 1; i < 5; i++)
        {
            await ana.SendMessageAsync(channel, $"m{i}");
        }

        var retry = await Send(Server, ana, channel, "m0", "retry-me").SendAsync();

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(first.GetProperty("id").GetInt64(), retry.Json.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Send(Server, ana, channel, "new").SendAsync()).Status);
    }

    [Fact]
    public async Task RefusedSendsDoNotCountAgainstTheBucket()
    {
        var (ana, _, channel) = await ChannelAsync();

        for (var i = 0; i < 10; i++)
        {
            ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/messages", new { channelId = channel, content = " " }));
        }

        await ana.SendMessageAsync(channel, "still allowed");
    }

    [Fact]
    public async Task LimitLiftsAfterTheReplenishmentPeriod()
    {
        // The bucket runs on System.Threading.RateLimiting's own clock, which a FakeTimeProvider cannot drive,
        // so this test shortens the period and polls for the refill instead.
        var period = TimeSpan.FromSeconds(2);
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimit:TokenLimit"] = "1",
            ["RateLimit:TokensPerPeriod"] = "1",
            ["RateLimit:ReplenishmentPeriod"] = period.ToString(),
        }).WaitAsync(StartTimeout);
        using var ana = await ApiClient.UserAsync(server, "ana");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());
        await ana.SendMessageAsync(channel, "first");
        var clock = Stopwatch.StartNew();
        var refused = await Send(server, ana, channel, "second").SendAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, period.TotalSeconds);

        RawResponse? accepted = null;
        while (clock.Elapsed < period * 5)
        {
            var attempt = await Send(server, ana, channel, "second").SendAsync();
            if (attempt.Status == HttpStatusCode.Created)
            {
                accepted = attempt;
                break;
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, attempt.Status);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.NotNull(accepted);
        Assert.Equal(2, (await ana.HistoryAsync(channel)).Length);
    }
}
