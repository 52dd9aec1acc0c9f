using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.ServerApi;

/// <summary><c>Server:MessagesPerSecond</c> bounds what the server API publishes: past it, 429 with Retry-After.</summary>
public sealed class ServerRateBoundTests
{
    [Fact]
    public async Task PublishingPastTheServerBoundAnswers429WithRetryAfter()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Server:ApiKeys:backend"] = "backend-secret",
            ["Server:MessagesPerSecond"] = "3",
        });
        using var scenario = await ChannelScenario.CreateAsync(server);
        using var backend = new BearerClient(server, "backend-secret");

        // A bucket of 3 refilled each second: some request of these is over it, however fast the machine is.
        for (var i = 0; i < 500; i++)
        {
            var (status, _, headers) = await backend.SendAsync(HttpMethod.Post, "/api/server/messages",
                new { channelId = scenario.ChannelId, authorId = scenario.Owner.UserId, content = $"m{i}" });
            if (status == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(headers.RetryAfter);
                return;
            }
            Assert.Equal(HttpStatusCode.Created, status);
        }
        Assert.Fail("No publish was refused.");
    }
}
