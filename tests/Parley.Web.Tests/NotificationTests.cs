using Parley.Server.Tests.Http;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// Opt-in browser notifications: nothing until the user turns them on; then a DM and a mention of their name that
/// are not on screen notify, other messages do not. The page's real Notification is wrapped to record what was shown.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>Keeps the browser's Notification and records the title of each one created.</summary>
    private const string RecordNotifications = """
        (() => {
          const Real = window.Notification;
          window.__shown = [];
          class Recorded extends Real {
            constructor(title, options) { super(title, options); window.__shown.push(title); }
          }
          Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
        })();
        """;

    [Fact]
    public async Task DmsAndMentionsNotifyOnceTurnedOn()
    {
        await BrowserTest.RunAsync(browser, output, nameof(DmsAndMentionsNotifyOnceTurnedOn), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            var team = await TeamChannel.CreateAsync(benApi, "general", anaApi.UserId);
            var random = await benApi.CreateChannelAsync(team.WorkspaceId, "random");
            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);
            await ana.Page.Context.GrantPermissionsAsync(["notifications"]);
            await ana.Page.AddInitScriptAsync(RecordNotifications);
            await ana.Page.ReloadAsync();
            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);
            await ana.GatewayReadyAsync();
            var toggle = ana.Page.GetByTestId("notifications-toggle");
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");

            // Off: a mention shows a badge but no notification.
            await benApi.SendMessageAsync(random, $"{anaApi.Username}, before you opted in");
            await Expect(ana.UnreadBadge(random)).ToHaveTextAsync("1");
            Assert.Empty(await ShownAsync(ana));

            await toggle.ClickAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
            await benApi.SendMessageAsync(random, "no mention here");
            await benApi.SendMessageAsync(random, $"@{anaApi.Username} can you look?");
            var dm = await benApi.OpenDmAsync(anaApi.UserId);
            await benApi.SendMessageAsync(dm, "private question");

            await Expect(ana.UnreadBadge(dm)).ToHaveTextAsync("1");
            await Expect(ana.UnreadBadge(random)).ToHaveTextAsync("3");
            Assert.Equal([$"{benApi.Username} in #random", $"{benApi.Username} in @{benApi.Username}"], await ShownAsync(ana));
            // The choice survives a reload.
            await ana.Page.ReloadAsync();
            await Expect(ana.Page.GetByTestId("notifications-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        });
    }

    private static async Task<string[]> ShownAsync(ChatPage page) => await page.Page.EvaluateAsync<string[]>("() => window.__shown");
}
