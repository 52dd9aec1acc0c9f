using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Parley.Server.Tests.Http;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// An automated accessibility scan (axe-core) of the login view and of the chat view with a conversation on screen:
/// no finding of serious or critical impact. The message list is a live log region.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Fact]
    public async Task TheLoginAndChatViewsHaveNoSeriousAccessibilityFindings()
    {
        await BrowserTest.RunAsync(browser, output, nameof(TheLoginAndChatViewsHaveNoSeriousAccessibilityFindings), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            var team = await TeamChannel.CreateAsync(anaApi, "general", benApi.UserId);
            await benApi.SendMessageAsync(team.ChannelId, "Welcome! The notes are at https://example.org/notes.");
            var dm = await benApi.OpenDmAsync(anaApi.UserId);
            await benApi.SendMessageAsync(dm, "ping");
            var ana = await session.OpenAsync("ana", server.BaseAddress);

            await ScanAsync(ana.Page, "login");
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-a11y-login.png"));

            await ana.LogInAsync(anaApi.Username, BrowserTest.Password);
            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);
            await ana.SendAsync("Thanks, reading them now.");
            await Expect(ana.StoredMessage("Thanks, reading them now.")).ToBeVisibleAsync();
            await Expect(ana.UnreadBadge(dm)).ToHaveTextAsync("1");
            await Expect(ana.StoredMessage("Welcome!").Locator("a[href='https://example.org/notes']")).ToBeVisibleAsync();
            var log = ana.Page.GetByTestId("message-list");
            await Expect(log).ToHaveAttributeAsync("role", "log");
            await Expect(log).ToHaveAttributeAsync("aria-live", "polite");
            // The workspace panel and its forms are part of what is scanned.
            await ana.Page.Locator($"[data-testid='workspace-item'][data-workspace-id='{team.WorkspaceId}'] .workspace-name").ClickAsync();
            await Expect(ana.Page.GetByTestId("member-item")).ToHaveCountAsync(2);

            await ScanAsync(ana.Page, "chat");
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-a11y-chat.png"));
        });
    }

    private async Task ScanAsync(IPage page, string view)
    {
        var result = await page.RunAxe();
        foreach (var finding in result.Violations)
        {
            output.WriteLine($"{view}: {finding.Impact} {finding.Id}: {finding.Help} ({finding.Nodes.Length} nodes: {string.Join(" | ", finding.Nodes.Take(3).Select(n => n.Html))})");
        }
        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact)).Select(v => $"{v.Impact} {v.Id}").ToList();
        Assert.True(blocking.Count == 0, $"{view} view: {string.Join(", ", blocking)}");
    }
}
