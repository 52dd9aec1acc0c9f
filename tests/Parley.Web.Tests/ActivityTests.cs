using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Server.Tests.Http;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// Activity outside the open channel reaches the user through the app's one /gateway connection: unread badges,
/// bold channels, the count in the tab title, and DMs someone else started, all without a refresh.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ActivityTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>The issue's bound: a badge within a second of the message.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions WithinASecond = new() { Timeout = 1_000 };

    [Fact]
    public async Task ABadgeAppearsWithinASecondOfAMessageInAnotherChannel()
    {
        await BrowserTest.RunAsync(browser, output, nameof(ABadgeAppearsWithinASecondOfAMessageInAnotherChannel), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            var team = await TeamChannel.CreateAsync(benApi, "general", anaApi.UserId);
            var random = await benApi.CreateChannelAsync(team.WorkspaceId, "random");
            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);
            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);
            await ana.GatewayReadyAsync();
            await Expect(ana.UnreadBadge(random)).ToHaveCountAsync(0);

            await benApi.SendMessageAsync(random, "anyone in random?");

            await Expect(ana.UnreadBadge(random)).ToBeVisibleAsync(WithinASecond);
            await Expect(ana.UnreadBadge(random)).ToHaveTextAsync("1");
            await Expect(ana.ChannelItem(random)).ToHaveClassAsync(UnreadClass());
            await Expect(ana.Page).ToHaveTitleAsync(new Regex(@"^\(1\) "));
            await benApi.SendMessageAsync(random, "hello?");
            await benApi.SendMessageAsync(random, "ok, later then");
            await Expect(ana.UnreadBadge(random)).ToHaveTextAsync("3");
            await Expect(ana.Page).ToHaveTitleAsync(new Regex(@"^\(3\) "));
            // A message in the open channel is read where it appears: no badge there.
            await benApi.SendMessageAsync(team.ChannelId, "and in general");
            await Expect(ana.StoredMessage("and in general")).ToBeVisibleAsync();
            await Expect(ana.UnreadBadge(team.ChannelId)).ToHaveCountAsync(0);
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-unread-badge.png"));

            // Opening the channel reads it: the badge and the title's count go, the divider marks where the new ones start.
            await ana.OpenChannelAsync(random, "random");
            await Expect(ana.UnreadBadge(random)).ToHaveCountAsync(0);
            await Expect(ana.Page).ToHaveTitleAsync(new Regex(@"^#random · Parley$"));
            await Expect(ana.Page.GetByTestId("new-messages-divider")).ToBeVisibleAsync();
            await Expect(ana.Page.GetByTestId("day-separator")).ToHaveTextAsync("Today");
        });
    }

    [Fact]
    public async Task ABadgeCountedBeforeTheAppOpenedComesFromTheServer()
    {
        await BrowserTest.RunAsync(browser, output, nameof(ABadgeCountedBeforeTheAppOpenedComesFromTheServer), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            var team = await TeamChannel.CreateAsync(benApi, "general", anaApi.UserId);
            await benApi.SendMessageAsync(team.ChannelId, "one");
            await benApi.SendMessageAsync(team.ChannelId, "two");

            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);

            await Expect(ana.UnreadBadge(team.ChannelId)).ToHaveTextAsync("2");
            await Expect(ana.Page).ToHaveTitleAsync(new Regex(@"^\(2\) Parley$"));
        });
    }

    [Fact]
    public async Task AFirstDmAppearsWithoutARefresh()
    {
        await BrowserTest.RunAsync(browser, output, nameof(AFirstDmAppearsWithoutARefresh), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);
            await ana.GatewayReadyAsync();
            await Expect(ana.Page.GetByTestId("dm-item")).ToHaveCountAsync(0);

            var dm = await benApi.OpenDmAsync(anaApi.UserId);
            await benApi.SendMessageAsync(dm, "hi Ana, a quick question");

            await Expect(ana.DmItem(dm)).ToBeVisibleAsync();
            await Expect(ana.DmItem(dm)).ToContainTextAsync(benApi.Username);
            await Expect(ana.UnreadBadge(dm)).ToHaveTextAsync("1");
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-first-dm.png"));
            await ana.DmItem(dm).ClickAsync();
            await Expect(ana.ChannelTitle).ToHaveTextAsync($"@{benApi.Username}");
            await Expect(ana.StoredMessage("hi Ana, a quick question")).ToBeVisibleAsync();
            await Expect(ana.Page).ToHaveURLAsync(new Regex($"/dm/{dm}$"));
        });
    }

    [GeneratedRegex(@"\bunread\b")]
    private static partial Regex UnreadClass();
}
