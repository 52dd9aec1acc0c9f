using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests.Infrastructure;

/// <summary>
/// One user's Parley tab, driven through the web client's data-testid hooks (web/README.md). Every wait is
/// a Playwright expectation, bounded by <see cref="BrowserFixture.StepTimeout"/> unless a step says otherwise.
/// </summary>
public sealed class ChatPage(IPage page, string label)
{
    public IPage Page { get; } = page;

    /// <summary>Who this tab belongs to in logs and screenshot names.</summary>
    public string Label { get; } = label;

    public ILocator Composer => Page.GetByTestId("composer");

    public ILocator ErrorBanner => Page.GetByTestId("error-banner");

    public ILocator ReconnectBanner => Page.GetByTestId("reconnect-banner");

    public ILocator TypingIndicator => Page.GetByTestId("typing-indicator");

    /// <summary>Every message in the list, pending and refused sends included.</summary>
    public ILocator Messages => Page.GetByTestId("message");

    /// <summary>Messages the server has stored (they carry data-message-id).</summary>
    public ILocator StoredMessages => Page.Locator("[data-testid='message'][data-message-id]");

    /// <summary>The text of each stored message, in list order.</summary>
    public ILocator StoredContents => StoredMessages.Locator(".content");

    public ILocator PendingMessages => Page.Locator("[data-testid='message'][data-pending='true']");

    public ILocator StoredMessage(string content) => StoredMessages.Filter(new LocatorFilterOptions { Has = Page.Locator(".content", new PageLocatorOptions { HasTextString = content }) });

    public ILocator ReadReceipt(string content) => StoredMessage(content).GetByTestId("read-receipt");

    public ILocator PresenceOf(long userId) => Page.Locator($"[data-testid='people'] [data-testid='presence-dot'][data-user-id='{userId}']");

    public ILocator ChannelItem(long channelId) => Page.Locator($"[data-testid='channel-item'][data-channel-id='{channelId}']");

    public ILocator DmItem(long channelId) => Page.Locator($"[data-testid='dm-item'][data-channel-id='{channelId}']");

    /// <summary>The unread badge inside a channel's or DM's sidebar button.</summary>
    public ILocator UnreadBadge(long channelId) => Page.Locator($"[data-channel-id='{channelId}'] [data-testid='unread-badge']");

    /// <summary>The name field of "New message" (the other one, "Add member", is in the workspace panel).</summary>
    public ILocator NewMessageSearch => Page.GetByTestId("new-message").GetByTestId("people-search");

    public ILocator ChannelTitle => Page.GetByTestId("channel-title");

    /// <summary>Waits until the app's /gateway session is identified: from then on it hears of every channel's events.</summary>
    public Task GatewayReadyAsync() => Expect(Page.Locator(".chat[data-gateway='ready']")).ToBeAttachedAsync();

    public async Task GoToLoginAsync()
    {
        await Page.GotoAsync("/");
        await Expect(Page.GetByTestId("login-username")).ToBeVisibleAsync();
    }

    /// <summary>Registers through the login form (which logs in after); returns the new user's id.</summary>
    public async Task<long> RegisterAsync(string username, string password)
    {
        await FillCredentialsAsync(username, password);
        await Page.GetByTestId("register-submit").ClickAsync();
        return await SignedInUserIdAsync(username);
    }

    public async Task<long> LogInAsync(string username, string password)
    {
        await FillCredentialsAsync(username, password);
        await Page.GetByTestId("login-submit").ClickAsync();
        return await SignedInUserIdAsync(username);
    }

    /// <summary>Reloads the sidebar (channels created or shared after it loaded appear only then).</summary>
    public Task RefreshSidebarAsync() => Page.GetByTestId("refresh").ClickAsync();

    public async Task OpenChannelAsync(long channelId, string name)
    {
        var item = Page.Locator($"[data-testid='channel-item'][data-channel-id='{channelId}']");
        await item.ClickAsync();
        await Expect(Page.GetByTestId("channel-title")).ToHaveTextAsync($"#{name}");
        await Expect(Composer).ToBeEnabledAsync();
    }

    /// <summary>Types the text into the composer and presses Enter.</summary>
    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    public Task ScreenshotAsync(string path) => Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });

    private async Task FillCredentialsAsync(string username, string password)
    {
        await Page.GetByTestId("login-username").FillAsync(username);
        await Page.GetByTestId("login-password").FillAsync(password);
    }

    private async Task<long> SignedInUserIdAsync(string username)
    {
        var current = Page.GetByTestId("current-user");
        await Expect(current).ToContainTextAsync(username);
        var id = await current.GetAttributeAsync("data-user-id");
        return long.Parse(id ?? throw new InvalidOperationException("current-user has no data-user-id"), CultureInfo.InvariantCulture);
    }
}
