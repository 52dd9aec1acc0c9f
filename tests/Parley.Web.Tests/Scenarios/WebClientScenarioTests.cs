using Parley.Server.Tests.Infrastructure;
using Parley.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.ClientScenarios;

/// <summary>
/// The client scenario table (tests/client-scenarios/scenarios.json) with the web client's socket code in headless
/// Chromium against the real server; tests/Parley.Client.Tests runs the same table with the .NET client.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WebClientScenarioTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ParleyTestServer.StartAsync(ClientScenarioTable.ServerSettings()).WaitAsync(BrowserFixture.ServerTimeout);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Scenarios => ClientScenarioTable.Names();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task TheWebClientBehavesAsTheTableSays(string scenario) =>
        ClientScenarioRunner.RunAsync(ClientScenarioTable.Named(scenario), _server,
            user => BrowserScenarioClient.OpenAsync(browser, _server.BaseAddress, user, Log), Log);

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
