using System.Text.Json.Nodes;

namespace Parley.ClientScenarios;

/// <summary>
/// tests/client-scenarios/scenarios.json, copied next to each test assembly that runs it (linked in its .csproj):
/// the server settings the scenarios assume and the scenarios themselves.
/// </summary>
public static class ClientScenarioTable
{
    private static readonly Lazy<JsonObject> Table = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "client-scenarios", "scenarios.json")))!.AsObject());

    /// <summary>The configuration the test server is started with (a small rate-limit bucket that does not refill during a run).</summary>
    public static IDictionary<string, string?> ServerSettings() =>
        Table.Value["server"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value!.GetValue<string>());

    public static IReadOnlyList<ClientScenario> Scenarios() =>
        [.. Table.Value["scenarios"]!.AsArray().Select(s => new ClientScenario(
            s!["name"]!.GetValue<string>(),
            s["workspaces"]!.AsObject(),
            s["steps"]!.AsArray()))];

    public static ClientScenario Named(string name) => Scenarios().Single(s => s.Name == name);

    /// <summary>The scenario names, for an xUnit theory: one test case per scenario.</summary>
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var scenario in Scenarios())
        {
            names.Add(scenario.Name);
        }
        return names;
    }
}
