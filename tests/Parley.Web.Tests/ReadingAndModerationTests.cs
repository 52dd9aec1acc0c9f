using System.Net;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// Reading comfort and the rules shown before the server enforces them: the topic in the header, links clickable but
/// no markup from message text, the composer disabled with a reason where posts would be refused, and a moderator's
/// delete of someone else's message after a confirmation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadingAndModerationTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task TopicLinksAnnouncementsAndModeratorDelete()
    {
        await BrowserTest.RunAsync(browser, output, nameof(TopicLinksAnnouncementsAndModeratorDelete), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            var workspace = await anaApi.CreateWorkspaceAsync("Class 5B");
            await anaApi.AddMemberAsync(workspace, benApi.UserId);
            var general = await CreateChannelAsync(anaApi, workspace, "general", "text", "Homework and questions");
            var news = await CreateChannelAsync(anaApi, workspace, "news", "announcement", null);
            const string tricky = "<b>not bold</b> notes at https://example.org/notes, not javascript:alert(1)";
            var message = await benApi.SendMessageIdAsync(general, tricky);

            var ben = await session.SignedInAsync("ben", server.BaseAddress, benApi);
            await ben.ChannelItem(news).ClickAsync();
            await Expect(ben.ChannelTitle).ToHaveTextAsync("#news");
            await Expect(ben.Page.GetByTestId("composer-disabled-reason")).ToBeVisibleAsync();
            await Expect(ben.Page.GetByTestId("composer-disabled-reason")).ToContainTextAsync("Only workspace owners and admins");
            await Expect(ben.Composer).ToBeDisabledAsync();
            await ben.ScreenshotAsync(TestOutput.PathFor("e2e-announcement-composer.png"));
            await ben.OpenChannelAsync(general, "general");
            // A member sees Delete on their own message only.
            await Expect(ben.Page.GetByTestId("delete-message")).ToHaveCountAsync(1);

            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);
            await ana.OpenChannelAsync(general, "general");
            await Expect(ana.Page.GetByTestId("channel-topic")).ToHaveTextAsync("Homework and questions");
            var shown = ana.StoredMessage("notes at");
            await Expect(shown.Locator(".content")).ToHaveTextAsync(tricky);
            await Expect(shown.Locator(".content b")).ToHaveCountAsync(0);
            await Expect(shown.Locator(".content a")).ToHaveCountAsync(1);
            await Expect(shown.Locator(".content a")).ToHaveAttributeAsync("href", "https://example.org/notes");
            await Expect(shown.Locator(".content a")).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
            // The owner may post in announcements.
            await ana.ChannelItem(news).ClickAsync();
            await Expect(ana.Composer).ToBeEnabledAsync();
            await ana.OpenChannelAsync(general, "general");

            // The owner deletes Ben's message, after saying yes; Cancel first keeps it.
            await shown.GetByTestId("delete-message").ClickAsync();
            await Expect(shown.GetByTestId("confirm-delete")).ToBeVisibleAsync();
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-moderator-delete-confirm.png"));
            await shown.GetByTestId("cancel-delete").ClickAsync();
            await Expect(shown.GetByTestId("confirm-delete")).ToHaveCountAsync(0);
            await shown.GetByTestId("delete-message").ClickAsync();
            await shown.GetByTestId("confirm-delete").ClickAsync();

            await Expect(ana.Page.Locator($"[data-testid='message'][data-message-id='{message}']")).ToHaveCountAsync(0);
            await Expect(ben.Page.Locator($"[data-testid='message'][data-message-id='{message}']")).ToHaveCountAsync(0);
        });
    }

    private static async Task<long> CreateChannelAsync(ApiClient owner, long workspace, string name, string type, string? subject)
    {
        var (status, body) = await owner.PostAsync($"/api/workspaces/{workspace}/channels", new { name, type, subject });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("id").GetInt64();
    }
}
