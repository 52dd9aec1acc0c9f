using Parley.Server.Tests.Infrastructure;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ConversationTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Password = "password123";

    [Fact]
    public async Task TwoUsersChatInOrderAndSeeTypingAndReadReceipts()
    {
        await using var server = await ParleyTestServer.StartAsync().WaitAsync(BrowserFixture.ServerTimeout);
        await using var session = new BrowserSession(browser, output, nameof(TwoUsersChatInOrderAndSeeTypingAndReadReceipts));
        await session.RunAsync(async () =>
        {
            // Ana registers in the browser; Ben is registered over HTTP and logs in through the form.
            var ana = await session.OpenAsync("ana", server.BaseAddress);
            var anaId = await ana.RegisterAsync("ana", Password);
            using var benApi = await ApiClient.UserAsync(server, "ben", Password);
            var team = await TeamChannel.CreateAsync(benApi, "general", anaId);
            var ben = await session.OpenAsync("ben", server.BaseAddress);
            await ben.LogInAsync(benApi.Username, Password);

            // Ana's sidebar was loaded before Ben added her to the workspace.
            await ana.RefreshSidebarAsync();
            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);
            await ben.OpenChannelAsync(team.ChannelId, team.ChannelName);
            // Ben's join is announced to Ana's socket: both are subscribed from here on.
            await Expect(ana.PresenceOf(benApi.UserId)).ToHaveAttributeAsync("data-status", "online");

            string[] conversation =
            [
                "Hi Ben, is the build green?",
                "Hi Ana! Almost: one test left.",
                "Great, tell me when it is.",
                "Will do.",
            ];
            ChatPage[] authors = [ana, ben, ana, ben];
            for (var i = 0; i < conversation.Length; i++)
            {
                await authors[i].SendAsync(conversation[i]);
                await Expect(ana.StoredContents).ToHaveTextAsync(conversation[..(i + 1)]);
                await Expect(ben.StoredContents).ToHaveTextAsync(conversation[..(i + 1)]);
            }

            // Each message is on the other user's screen, so each author sees it read.
            foreach (var (author, content) in authors.Zip(conversation))
            {
                await Expect(author.ReadReceipt(content)).ToBeVisibleAsync();
                await Expect(author.ReadReceipt(content)).ToHaveTextAsync("Read by 1");
            }

            const string next = "The build is green now.";
            await ben.Composer.PressSequentiallyAsync(next);
            await Expect(ana.TypingIndicator).ToHaveTextAsync($"{benApi.Username} is typing…");
            await Expect(ben.TypingIndicator).ToHaveTextAsync("");
            await ana.ScreenshotAsync(TestOutput.PathFor("e2e-conversation-ana.png"));
            await ben.ScreenshotAsync(TestOutput.PathFor("e2e-conversation-ben.png"));

            await ben.Composer.PressAsync("Enter");
            string[] all = [.. conversation, next];
            await Expect(ana.StoredContents).ToHaveTextAsync(all);
            await Expect(ben.StoredContents).ToHaveTextAsync(all);
            await Expect(ana.TypingIndicator).ToHaveTextAsync("");
        });
    }
}
