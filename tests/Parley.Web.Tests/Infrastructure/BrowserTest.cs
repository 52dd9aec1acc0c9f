using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Web.Tests.Infrastructure;

/// <summary>The frame of one browser test: its own server and browser session, both disposed after the body.</summary>
public static class BrowserTest
{
    /// <summary>The password of every user the tests register.</summary>
    public const string Password = "password123";

    /// <summary>
    /// Starts a server (with <paramref name="settings"/>), opens a session named after the test and runs the body in
    /// it (<see cref="BrowserSession.RunAsync"/>: screenshots on failure, uncaught page errors fail the test).
    /// </summary>
    public static async Task RunAsync(
        BrowserFixture browser, ITestOutputHelper output, string testName,
        Func<ParleyTestServer, BrowserSession, Task> body, IDictionary<string, string?>? settings = null)
    {
        await using var server = await ParleyTestServer.StartAsync(settings).WaitAsync(BrowserFixture.ServerTimeout);
        await using var session = new BrowserSession(browser, output, testName);
        await session.RunAsync(() => body(server, session));
    }

    /// <summary>A user registered over HTTP (unique name from the prefix), disposed by the caller.</summary>
    public static Task<ApiClient> UserAsync(ParleyTestServer server, string prefix) => ApiClient.UserAsync(server, prefix, Password);
}
