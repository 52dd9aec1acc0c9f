using System.Text.RegularExpressions;
using Parley.Server.Tests.Http;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// People are found by name, not id; the open channel is in the address bar, so reload, Back and links to a
/// message work.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PeopleAndAddressesTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task ADmIsStartedByTypingThreeLettersOfAName()
    {
        await BrowserTest.RunAsync(browser, output, nameof(ADmIsStartedByTypingThreeLettersOfAName), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "benedict");
            using var strangerApi = await BrowserTest.UserAsync(server, "benjamin");
            await TeamChannel.CreateAsync(anaApi, "general", benApi.UserId);
            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);
            var ben = await session.SignedInAsync("ben", server.BaseAddress, benApi);
            await ben.GatewayReadyAsync();

            await ana.NewMessageSearch.PressSequentiallyAsync("BEN");

            // Benjamin matches too but shares no workspace with Ana: only Benedict is offered.
            var result = ana.Page.GetByTestId("new-message").GetByTestId("people-result");
            await Expect(result).ToHaveCountAsync(1);
            await Expect(result).ToHaveAttributeAsync("data-user-id", benApi.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-people-search.png"));
            await result.ClickAsync();
            await Expect(ana.ChannelTitle).ToHaveTextAsync($"@{benApi.Username}");
            await Expect(ana.Composer).ToBeEnabledAsync();
            await ana.SendAsync("Found you by name!");

            await Expect(ben.Page.GetByTestId("dm-item")).ToHaveCountAsync(1);
            await Expect(ben.Page.GetByTestId("dm-item").GetByTestId("unread-badge")).ToHaveTextAsync("1");
            await ben.Page.GetByTestId("dm-item").ClickAsync();
            await Expect(ben.StoredMessage("Found you by name!")).ToBeVisibleAsync();
            await ben.ScreenshotAsync(TestOutput.PathFor("e2e-dm-by-name-ben.png"));
        });
    }

    [Fact]
    public async Task AMemberIsAddedByNameAndListedWithTheirRole()
    {
        await BrowserTest.RunAsync(browser, output, nameof(AMemberIsAddedByNameAndListedWithTheirRole), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            using var carlaApi = await BrowserTest.UserAsync(server, "carla");
            // Ana and Carla share a workspace, so Ana can find Carla and add her to a second one.
            var shared = await TeamChannel.CreateAsync(anaApi, "general", benApi.UserId, carlaApi.UserId);
            var second = await anaApi.CreateWorkspaceAsync("Second");
            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);

            await ana.Page.Locator($"[data-testid='workspace-item'][data-workspace-id='{second}'] .workspace-name").ClickAsync();
            var panel = ana.Page.GetByTestId("workspace-panel");
            await Expect(panel.GetByTestId("member-item")).ToHaveCountAsync(1);
            await panel.GetByTestId("people-search").PressSequentiallyAsync(carlaApi.Username[..3]);
            await panel.GetByTestId("people-result").Filter(new() { HasTextString = carlaApi.Username }).ClickAsync();

            await Expect(panel.GetByTestId("member-item")).ToHaveCountAsync(2);
            var carla = panel.Locator($"[data-testid='member-item'][data-user-id='{carlaApi.UserId}']");
            await Expect(carla.GetByTestId("member-role")).ToHaveTextAsync("Member");
            await Expect(panel.Locator($"[data-testid='member-item'][data-user-id='{anaApi.UserId}'] [data-testid='member-role']")).ToHaveTextAsync("Owner");
            await Expect(panel.GetByTestId("leave-workspace")).ToBeHiddenAsync();
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-member-list.png"));

            // The owner removes her again; in the shared workspace Ben's row can be removed too, the owner's cannot.
            await carla.GetByTestId("remove-member").ClickAsync();
            await Expect(panel.GetByTestId("member-item")).ToHaveCountAsync(1);
            await ana.Page.Locator($"[data-testid='workspace-item'][data-workspace-id='{shared.WorkspaceId}'] .workspace-name").ClickAsync();
            await Expect(panel.GetByTestId("member-item")).ToHaveCountAsync(3);
            await Expect(panel.GetByTestId("remove-member")).ToHaveCountAsync(2);
        });
    }

    [Fact]
    public async Task ReloadKeepsTheOpenChannelAndBackAndMessageLinksWork()
    {
        await BrowserTest.RunAsync(browser, output, nameof(ReloadKeepsTheOpenChannelAndBackAndMessageLinksWork), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            var team = await TeamChannel.CreateAsync(anaApi, "general");
            var random = await anaApi.CreateChannelAsync(team.WorkspaceId, "random");
            var first = await anaApi.SendMessageIdAsync(team.ChannelId, "the first message, linked below");
            for (var i = 0; i < 60; i++)
            {
                await anaApi.SendMessageAsync(team.ChannelId, $"filler {i}");
            }
            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);

            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);
            await Expect(ana.Page).ToHaveURLAsync(new Regex($"/w/{team.WorkspaceId}/c/{team.ChannelId}$"));
            await ana.Page.ReloadAsync();
            await Expect(ana.ChannelTitle).ToHaveTextAsync("#general");
            await Expect(ana.ChannelItem(team.ChannelId)).ToHaveAttributeAsync("aria-current", "page");
            await Expect(ana.StoredMessage("filler 59")).ToBeVisibleAsync();
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-reload-keeps-channel.png"));

            await ana.OpenChannelAsync(random, "random");
            await ana.Page.GoBackAsync();
            await Expect(ana.ChannelTitle).ToHaveTextAsync("#general");
            await ana.Page.GoForwardAsync();
            await Expect(ana.ChannelTitle).ToHaveTextAsync("#random");

            // A link to a message older than the first page: the client loads back to it and shows it.
            await ana.Page.GotoAsync($"/w/{team.WorkspaceId}/c/{team.ChannelId}?message={first}");
            var linked = ana.Page.Locator($"[data-testid='message'][data-message-id='{first}']");
            await Expect(linked).ToHaveClassAsync(new Regex(@"\bhighlight\b"));
            await Expect(linked).ToBeInViewportAsync();
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-message-link.png"));
        }, ServerSettings.UnlimitedSends());
    }
}
