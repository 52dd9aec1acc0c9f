using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Web.Tests.Infrastructure;

namespace Parley.ClientScenarios;

/// <summary>
/// The web client as one user of a scenario: a browser context of its own (own cookies) on a page of the test server,
/// into which the scenario harness (web/test/harness/scenarioHarness.ts, built to scenario-harness.js) is loaded. The
/// harness drives the real <c>ChatSocketClient</c> and HTTP API wrapper and answers in the table's shapes.
/// </summary>
public sealed class BrowserScenarioClient : IScenarioClient
{
    private static readonly string HarnessPath = Path.Combine(AppContext.BaseDirectory, "client-scenarios", "scenario-harness.js");

    private readonly IBrowserContext _context;
    private readonly IPage _page;

    private BrowserScenarioClient(IBrowserContext context, IPage page)
    {
        _context = context;
        _page = page;
    }

    public static async Task<IScenarioClient> OpenAsync(BrowserFixture browser, Uri server, string label, Action<string> log)
    {
        if (!File.Exists(HarnessPath))
        {
            throw new InvalidOperationException($"The scenario harness is missing ({HarnessPath}): this project's build makes it with `npm run build:harness` in web/, which needs Node.js.");
        }
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ToString() });
        context.SetDefaultTimeout((float)BrowserFixture.StepTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => log($"[{label}] uncaught page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                log($"[{label}] console {message.Type}: {message.Text}");
            }
        };
        // A page of the server's own origin: the session cookie and the socket's Origin check need it. Any small
        // document will do; the app itself (/) would open sockets of its own.
        await page.GotoAsync("/healthz/live");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = HarnessPath });
        return new BrowserScenarioClient(context, page);
    }

    public async Task<long> ConnectAsync(string username, string password) =>
        await _page.EvaluateAsync<long>("([u, p]) => window.parleyScenario.connect(u, p)", new object[] { username, password });

    public Task<JsonNode> JoinAsync(long channelId) => Node("c => window.parleyScenario.join(c)", channelId);

    public Task<JsonNode> LeaveAsync(long channelId) => Node("c => window.parleyScenario.leave(c)", channelId);

    public async Task<JsonArray> SendAsync(long channelId, IReadOnlyList<string> texts, IReadOnlyList<string?> clientMsgIds) =>
        (await Node("([c, t, i]) => window.parleyScenario.send(c, t, i)", new object[] { channelId, texts, clientMsgIds })).AsArray();

    public async Task<JsonObject> JoinAndSendAsync(long channelId, IReadOnlyList<string> texts) =>
        (await Node("([c, t]) => window.parleyScenario.joinAndSend(c, t)", new object[] { channelId, texts })).AsObject();

    public Task<JsonNode> EditAsync(long messageId, string content) =>
        Node("([m, c]) => window.parleyScenario.edit(m, c)", new object[] { messageId, content });

    public async Task<IReadOnlyList<string>> HistoryAsync(long channelId) =>
        await _page.EvaluateAsync<string[]>("c => window.parleyScenario.history(c)", channelId);

    public async Task<IReadOnlyList<string>> MessagesAsync(long channelId) =>
        await _page.EvaluateAsync<string[]>("c => window.parleyScenario.messages(c)", channelId);

    public async Task<IReadOnlyList<(long Seq, string Content)>> EditsAsync(long channelId) =>
        [.. (await Node("c => window.parleyScenario.edits(c)", channelId)).AsArray()
            .Select(e => (e!["seq"]!.GetValue<long>(), e["content"]!.GetValue<string>()))];

    public async Task<IReadOnlyList<JsonElement>> FramesAsync()
    {
        using var frames = JsonDocument.Parse((await Node("() => window.parleyScenario.frames()")).ToJsonString());
        return [.. frames.RootElement.EnumerateArray().Select(f => f.Clone())];
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    /// <summary>
    /// Runs <paramref name="script"/> (a function of <paramref name="arg"/>) and parses its answer, passed as JSON
    /// text so that Playwright's own serialization (which adds <c>$id</c> references) leaves the outcome untouched.
    /// </summary>
    private async Task<JsonNode> Node(string script, object? arg = null) =>
        JsonNode.Parse(await _page.EvaluateAsync<string>($"async a => JSON.stringify(await ({script})(a))", arg))!;
}
