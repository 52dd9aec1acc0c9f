using System.Text.RegularExpressions;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>An author edits a message in place; the other side sees the new text and "(edited)" with the edit time.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class MessageEditTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task AnEditShowsOnTheOtherSide()
    {
        await BrowserTest.RunAsync(browser, output, nameof(AnEditShowsOnTheOtherSide), async (server, session) =>
        {
            using var anaApi = await BrowserTest.UserAsync(server, "ana");
            using var benApi = await BrowserTest.UserAsync(server, "ben");
            var team = await TeamChannel.CreateAsync(anaApi, "general", benApi.UserId);
            var ana = await session.SignedInAsync("ana", server.BaseAddress, anaApi);
            var ben = await session.SignedInAsync("ben", server.BaseAddress, benApi);
            await ana.OpenChannelAsync(team.ChannelId, team.ChannelName);
            await ben.OpenChannelAsync(team.ChannelId, team.ChannelName);
            await ana.SendAsync("Meeting at 10 tomorow");
            await Expect(ben.StoredMessage("Meeting at 10 tomorow")).ToBeVisibleAsync();
            await Expect(ben.StoredMessage("Meeting at 10").GetByTestId("edited")).ToHaveCountAsync(0);
            // Only the author is offered Edit.
            await Expect(ben.Page.GetByTestId("edit-message")).ToHaveCountAsync(0);

            await ana.StoredMessage("Meeting at 10 tomorow").GetByTestId("edit-message").ClickAsync();
            var input = ana.Page.GetByTestId("edit-input");
            await Expect(input).ToBeFocusedAsync();
            await input.FillAsync("Meeting at 11 tomorrow");
            await input.PressAsync("Enter");

            var onBen = ben.StoredMessage("Meeting at 11 tomorrow");
            await Expect(onBen).ToBeVisibleAsync();
            await Expect(onBen.GetByTestId("edited")).ToHaveTextAsync("(edited)");
            await Expect(onBen.GetByTestId("edited")).ToHaveAttributeAsync("title", EditedTitle());
            await Expect(ben.StoredMessage("tomorow")).ToHaveCountAsync(0);
            await Expect(ana.StoredMessage("Meeting at 11 tomorrow").GetByTestId("edited")).ToBeVisibleAsync();
            await ben.ScreenshotAsync(TestOutput.PathFor("e2e-edit-other-side.png"));

            // After a reload the history carries the edit too.
            await ben.Page.ReloadAsync();
            await Expect(ben.StoredMessage("Meeting at 11 tomorrow").GetByTestId("edited")).ToBeVisibleAsync();
        });
    }

    [GeneratedRegex("^Edited .+")]
    private static partial Regex EditedTitle();
}
