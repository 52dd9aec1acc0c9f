namespace Parley.Bench.Scenarios;

/// <summary>A started contender and its scratch directory, both removed when disposed.</summary>
internal sealed class RunningContender(ContenderProcess process, string directory) : IAsyncDisposable
{
    public ContenderProcess Process { get; } = process;

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
