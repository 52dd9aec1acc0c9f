namespace Parley.Bench.Scenarios;

/// <summary>One scenario, run once per contender per repeat; it records its figures in the context's results.</summary>
internal interface IScenario
{
    string Name { get; }

    bool Applies(ContenderKind kind);

    Task RunAsync(BenchContext context, ContenderKind kind);
}
