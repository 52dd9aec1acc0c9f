using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.ClientScenarios;

/// <summary>
/// The client scenario table (tests/client-scenarios/scenarios.json) with the .NET client against the real server;
/// tests/Parley.Web.Tests runs the same table with the web client.
/// </summary>
public sealed class ClientScenarioTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(ClientScenarioTable.ServerSettings());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Scenarios => ClientScenarioTable.Names();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task TheDotNetClientBehavesAsTheTableSays(string scenario) =>
        ClientScenarioRunner.RunAsync(ClientScenarioTable.Named(scenario), _server, _ => Task.FromResult<IScenarioClient>(new ParleyScenarioClient(_server)), output.WriteLine);
}
