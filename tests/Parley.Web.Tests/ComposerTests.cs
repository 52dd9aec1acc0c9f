using System.Net;
using Parley.Server.Tests.Infrastructure;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ComposerTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Password = "password123";

    [Fact]
    public async Task EnterSendsAndShiftEnterMakesANewLine()
    {
        await using var server = await ParleyTestServer.StartAsync().WaitAsync(BrowserFixture.ServerTimeout);
        await using var session = new BrowserSession(browser, output, nameof(EnterSendsAndShiftEnterMakesANewLine));
        await session.RunAsync(async () =>
        {
            using var api = await ApiClient.UserAsync(server, "ana", Password);
            var team = await TeamChannel.CreateAsync(api, "general");
            var ana = await session.OpenAsync("ana", server.BaseAddress);
            await ana.LogInAsync(api.Username, Password);
            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);

            await ana.Composer.PressSequentiallyAsync("first line");
            await ana.Composer.PressAsync("Shift+Enter");
            await ana.Composer.PressSequentiallyAsync("second line");
            await Expect(ana.Composer).ToHaveValueAsync("first line\nsecond line");
            await Expect(ana.Messages).ToHaveCountAsync(0);

            await ana.Composer.PressAsync("Enter");
            await Expect(ana.StoredMessages).ToHaveCountAsync(1);
            await Expect(ana.Composer).ToHaveValueAsync("");
            Assert.Equal("first line\nsecond line", await ana.StoredContents.First.TextContentAsync());
            // Shown on two lines, not joined into one.
            var box = await ana.StoredContents.First.BoundingBoxAsync();
            var lineHeight = await ana.StoredContents.First.EvaluateAsync<float>("e => parseFloat(getComputedStyle(e).lineHeight) || 18");
            Assert.True(box is not null && box.Height >= 1.5 * lineHeight, $"the message is {box?.Height} px high, one line is {lineHeight} px");

            var (status, body) = await api.GetAsync($"/api/channels/{team.ChannelId}/messages");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("first line\nsecond line", Assert.Single(body.EnumerateArray()).GetProperty("content").GetString());
        });
    }

    [Fact]
    public async Task SendingTooFastShowsAHumanErrorAndRetryDeliversLater()
    {
        // Default rate limit: a bucket of 5 sends, refilled with 5 every 5 s.
        await using var server = await ParleyTestServer.StartAsync().WaitAsync(BrowserFixture.ServerTimeout);
        await using var session = new BrowserSession(browser, output, nameof(SendingTooFastShowsAHumanErrorAndRetryDeliversLater));
        await session.RunAsync(async () =>
        {
            using var api = await ApiClient.UserAsync(server, "ana", Password);
            var team = await TeamChannel.CreateAsync(api, "general");
            var ana = await session.OpenAsync("ana", server.BaseAddress);
            await ana.LogInAsync(api.Username, Password);
            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);

            // 11 sends in well under 5 s: even if a refill falls in the middle, at most 10 get through.
            const int burst = 11;
            for (var i = 1; i <= burst; i++)
            {
                await ana.SendAsync($"Burst message {i}");
            }

            await Expect(ana.ErrorBanner).ToBeVisibleAsync();
            await Expect(ana.ErrorBanner).ToContainTextAsync("You are sending messages too fast. Please wait a few seconds, then try again.");
            var refused = ana.Page.Locator("[data-testid='message'][data-pending='true']:has([data-testid='retry-send'])");
            var sending = ana.Page.Locator("[data-testid='message'][data-pending='true']:not(:has([data-testid='retry-send']))");
            await Expect(sending).ToHaveCountAsync(0);
            await Expect(refused.First).ToContainTextAsync("Not sent: You are sending messages too fast.");
            var refusedCount = await refused.CountAsync();
            var storedCount = await ana.StoredMessages.CountAsync();
            Assert.InRange(refusedCount, 1, burst - 5);
            Assert.Equal(burst, refusedCount + storedCount);
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-rate-limited.png"));

            // Retry the first refused message until the bucket has refilled (within 5 s); its element turns into
            // the stored message, and nothing was stored twice.
            var clientMsgId = await refused.First.GetAttributeAsync("data-client-msg-id");
            Assert.NotNull(clientMsgId);
            var retried = ana.Page.Locator($"[data-testid='message'][data-client-msg-id='{clientMsgId}']");
            var outcome = ana.Page.Locator(
                $"[data-testid='message'][data-client-msg-id='{clientMsgId}'][data-message-id], " +
                $"[data-testid='message'][data-client-msg-id='{clientMsgId}']:has([data-testid='retry-send'])");
            for (var attempt = 1; ; attempt++)
            {
                await retried.GetByTestId("retry-send").ClickAsync();
                await Expect(outcome).ToBeVisibleAsync();
                if (await retried.GetAttributeAsync("data-message-id") is not null)
                {
                    break;
                }
                Assert.True(attempt < 10, "The retried message was still refused after 10 attempts over 10 s.");
                await Task.Delay(TimeSpan.FromSeconds(1)); // Poll interval: the refill itself is not observable.
            }
            await Expect(ana.StoredMessages).ToHaveCountAsync(storedCount + 1);
            await Expect(refused).ToHaveCountAsync(refusedCount - 1);

            var (status, body) = await api.GetAsync($"/api/channels/{team.ChannelId}/messages");
            Assert.Equal(HttpStatusCode.OK, status);
            var storedIds = body.EnumerateArray().Select(message => message.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(storedCount + 1, storedIds.Count);
            var shownIds = await ana.StoredMessages.EvaluateAllAsync<string[]>("elements => elements.map(e => e.dataset.messageId)");
            Assert.Equal(storedIds, shownIds);
        });
    }
}
