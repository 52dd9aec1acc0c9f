using Microsoft.Playwright;

namespace Parley.Web.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole browser suite, driven by Playwright. Each test opens its own
/// browser contexts (one per simulated user: separate cookies and storage) and its own server.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; Playwright's own browser download does not work on our machines.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long one Playwright action or expectation may take before the test fails.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long starting the in-process server (migrations included) may take.</summary>
    public static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture is not initialized.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}, which is missing. " +
                "Install it with scripts/install-chromium.sh (apt-get install chromium); ./test.sh does this.");
        }
        var index = Path.Combine(AppContext.BaseDirectory, "wwwroot", "index.html");
        if (!File.Exists(index))
        {
            throw new InvalidOperationException(
                $"The web client is not in the test output ({index} is missing): the server project's build writes " +
                "web/dist with npm, which needs Node.js (scripts/install-node.sh), and this project copies it to wwwroot.");
        }

        Assertions.SetDefaultExpectTimeout((float)StepTimeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync().WaitAsync(StepTimeout);
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = (float)TimeSpan.FromSeconds(60).TotalMilliseconds,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync().WaitAsync(StepTimeout);
        }
        _playwright?.Dispose();
    }
}
