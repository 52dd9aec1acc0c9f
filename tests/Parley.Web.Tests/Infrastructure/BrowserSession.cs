using Microsoft.Playwright;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Web.Tests.Infrastructure;

/// <summary>
/// The browser side of one test: a context per simulated user (own cookies, own socket), their pages'
/// errors and console output in the test log, and screenshots of every page when the test fails.
/// </summary>
public sealed class BrowserSession(BrowserFixture fixture, ITestOutputHelper output, string testName) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<ChatPage> _pages = [];
    private readonly List<string> _pageErrors = [];

    /// <summary>A fresh browser profile on the server's page, showing the login form.</summary>
    public async Task<ChatPage> OpenAsync(string label, Uri baseAddress)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1100, Height = 720 },
            ColorScheme = ColorScheme.Light,
        }).WaitAsync(BrowserFixture.StepTimeout);
        context.SetDefaultTimeout((float)BrowserFixture.StepTimeout.TotalMilliseconds);
        _contexts.Add(context);
        var page = await context.NewPageAsync().WaitAsync(BrowserFixture.StepTimeout);
        page.PageError += (_, error) =>
        {
            lock (_pageErrors)
            {
                _pageErrors.Add($"{label}: {error}");
            }
            Log($"[{label}] uncaught page error: {error}");
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Log($"[{label}] console {message.Type}: {message.Text}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Log($"[{label}] HTTP {response.Status} {response.Request.Method} {response.Url}");
            }
        };
        // The socket traffic goes to the test log: when a test fails, it tells what the client and server said.
        page.WebSocket += (_, socket) =>
        {
            Log($"[{label}] socket opened {socket.Url}");
            socket.FrameSent += (_, frame) => Log($"[{label}] -> {frame.Text}");
            socket.FrameReceived += (_, frame) => Log($"[{label}] <- {frame.Text}");
            socket.Close += (_, _) => Log($"[{label}] socket closed");
        };
        var chat = new ChatPage(page, label);
        _pages.Add(chat);
        await chat.GoToLoginAsync();
        return chat;
    }

    /// <summary>A fresh browser profile of a user registered over HTTP, logged in through the form.</summary>
    public async Task<ChatPage> SignedInAsync(string label, Uri baseAddress, ApiClient user, string password = BrowserTest.Password)
    {
        var page = await OpenAsync(label, baseAddress);
        await page.LogInAsync(user.Username, password);
        return page;
    }

    /// <summary>
    /// Runs the test body; a failure saves a screenshot of every page under test-output/failures/ first.
    /// A test whose pages threw uncaught script errors fails even if its assertions held.
    /// </summary>
    public async Task RunAsync(Func<Task> body)
    {
        try
        {
            await body();
            lock (_pageErrors)
            {
                Assert.True(_pageErrors.Count == 0, "Uncaught errors in the page:\n" + string.Join("\n", _pageErrors));
            }
        }
        catch
        {
            await SaveFailureScreenshotsAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            try
            {
                await context.CloseAsync().WaitAsync(BrowserFixture.StepTimeout);
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                Log($"closing a browser context failed: {ex.Message}");
            }
        }
    }

    private async Task SaveFailureScreenshotsAsync()
    {
        var directory = Path.Combine(TestOutput.Directory, "failures");
        Directory.CreateDirectory(directory);
        foreach (var page in _pages)
        {
            var path = Path.Combine(directory, $"{testName}-{page.Label}.png");
            try
            {
                await page.ScreenshotAsync(path);
                Log($"screenshot of {page.Label}'s page: {path}");
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                Log($"no screenshot of {page.Label}'s page: {ex.Message}");
            }
        }
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // A page event after the test ended: there is no test log to write to any more.
        }
    }
}
