using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Parley.Server.Tests.Infrastructure;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ServerRestartTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Password = "password123";

    /// <summary>
    /// The client retries after 1, 2, 4, 8… s; a restart on a loaded machine may fall in the 8 s wait or the
    /// next, so waiting for the reconnect gets more than one step.
    /// </summary>
    private static readonly LocatorAssertionsToBeHiddenOptions ReconnectWait = new() { Timeout = 60_000 };

    [Fact]
    public async Task AfterAServerRestartTheBannerComesAndGoesAndNothingIsLostOrDoubled()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("parley-e2e-").FullName;
        ParleyTestServer? server = null;
        try
        {
            var first = await ParleyTestServer.StartAsync(dataDirectory: dataDirectory).WaitAsync(BrowserFixture.ServerTimeout);
            server = first;
            var address = first.BaseAddress;
            await using var session = new BrowserSession(browser, output, nameof(AfterAServerRestartTheBannerComesAndGoesAndNothingIsLostOrDoubled));
            await session.RunAsync(async () =>
            {
                using var anaApi = await ApiClient.UserAsync(first, "ana", Password);
                using var benApi = await ApiClient.UserAsync(first, "ben", Password);
                var team = await TeamChannel.CreateAsync(anaApi, "general", benApi.UserId);
                var ana = await session.OpenAsync("ana", address);
                await ana.LogInAsync(anaApi.Username, Password);
                var ben = await session.OpenAsync("ben", address);
                await ben.LogInAsync(benApi.Username, Password);
                await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);
                await ben.OpenChannelAsync(team.ChannelId, team.ChannelName);
                await Expect(ana.PresenceOf(benApi.UserId)).ToHaveAttributeAsync("data-status", "online");

                await ana.SendAsync("Before the restart, from Ana.");
                await Expect(ben.StoredContents).ToHaveTextAsync(["Before the restart, from Ana."]);
                await ben.SendAsync("Before the restart, from Ben.");
                string[] before = ["Before the restart, from Ana.", "Before the restart, from Ben."];
                await Expect(ana.StoredContents).ToHaveTextAsync(before);
                await Expect(ben.StoredContents).ToHaveTextAsync(before);

                // Stop: both tabs lose their socket and say so.
                server = null;
                await first.DisposeAsync();
                foreach (var page in new[] { ana, ben })
                {
                    await Expect(page.ReconnectBanner).ToBeVisibleAsync();
                    await Expect(page.ReconnectBanner).ToContainTextAsync("Connection lost. Reconnecting…");
                }

                // Ben writes while the server is down: the message waits in his tab, shown as pending.
                const string whileDown = "Sent while the server was down.";
                await ben.SendAsync(whileDown);
                await Expect(ben.PendingMessages).ToHaveCountAsync(1);
                await Expect(ben.PendingMessages).ToContainTextAsync("Sending…");

                // Ana's network is off until Ben's messages are stored, so that she can only get them by the
                // replay that her rejoin asks for (join_channel with since).
                await ana.Page.Context.SetOfflineAsync(true);

                // Start again on the same port and database; Ben also sends over HTTP at once.
                server = await ParleyTestServer.StartAsync(dataDirectory: dataDirectory, port: address.Port).WaitAsync(BrowserFixture.ServerTimeout);
                const string overHttp = "Sent over HTTP right after the restart.";
                var (status, _) = await benApi.PostAsync("/api/messages", new { channelId = team.ChannelId, content = overHttp });
                Assert.Equal(HttpStatusCode.Created, status);

                // Ben's tab reconnects by itself and delivers what waited in it.
                await Expect(ben.ReconnectBanner).ToBeHiddenAsync(ReconnectWait);
                await Expect(ben.PendingMessages).ToHaveCountAsync(0);
                await Expect(ben.StoredMessage(whileDown)).ToHaveCountAsync(1);
                await Expect(ben.StoredMessage(overHttp)).ToHaveCountAsync(1);
                await Expect(ana.ReconnectBanner).ToBeVisibleAsync();
                await Expect(ana.StoredMessages).ToHaveCountAsync(before.Length);

                // Back online (the client retries at once on the browser's online event): the replay brings both.
                await ana.Page.Context.SetOfflineAsync(false);
                await Expect(ana.ReconnectBanner).ToBeHiddenAsync(ReconnectWait);
                await Expect(ana.StoredMessage(whileDown)).ToHaveCountAsync(1);
                await Expect(ana.StoredMessage(overHttp)).ToHaveCountAsync(1);

                // Live messages flow again both ways.
                const string afterFromBen = "After the restart, from Ben.";
                const string afterFromAna = "After the restart, from Ana.";
                await ben.SendAsync(afterFromBen);
                await Expect(ana.StoredMessage(afterFromBen)).ToHaveCountAsync(1);
                await ana.SendAsync(afterFromAna);
                await Expect(ben.StoredMessage(afterFromAna)).ToHaveCountAsync(1);

                // Both tabs show exactly what the server stored, in its order, each message once.
                var stored = await StoredContentsAsync(anaApi, team.ChannelId);
                Assert.Equal(6, stored.Length);
                Assert.Equal(before, stored[..2]);
                // Which of these two the server stored first depends on when Ben's tab reconnected.
                Assert.Equal(new[] { overHttp, whileDown }.Order(StringComparer.Ordinal), stored[2..4].Order(StringComparer.Ordinal));
                Assert.Equal([afterFromBen, afterFromAna], stored[4..]);
                foreach (var page in new[] { ana, ben })
                {
                    await Expect(page.StoredContents).ToHaveTextAsync(stored);
                    await Expect(page.Messages).ToHaveCountAsync(stored.Length);
                }
                await ana.ScreenshotAsync(TestOutput.PathFor("e2e-after-restart-ana.png"));
                await ben.ScreenshotAsync(TestOutput.PathFor("e2e-after-restart-ben.png"));
            });
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder must not hide the test's own outcome.
            }
        }
    }

    private static async Task<string[]> StoredContentsAsync(ApiClient client, long channelId)
    {
        var (status, body) = await client.GetAsync($"/api/channels/{channelId}/messages?limit=100");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.EnumerateArray().Select(message => message.GetProperty("content").GetString() ?? "")];
    }
}
