namespace Parley.Bench;

/// <summary>Where the repository, the contenders' builds and the results are.</summary>
internal sealed class BenchPaths
{
    private BenchPaths(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    public string Root { get; }

    public string Configuration { get; }

    public string ParleyProject => Path.Combine(Root, "src", "Parley.Server", "Parley.Server.csproj");

    public string SignalRProject => Path.Combine(Root, "bench", "Contenders", "SignalRHub", "SignalRHub.csproj");

    public string KestrelProject => Path.Combine(Root, "bench", "Contenders", "KestrelBroadcast", "KestrelBroadcast.csproj");

    /// <summary>This assembly, loaded into every contender as its startup hook (see <see cref="StartupHook"/>).</summary>
    public static string HookAssembly => typeof(StartupHook).Assembly.Location;

    public string Dll(ContenderKind kind) => kind switch
    {
        ContenderKind.SignalR => Output(SignalRProject, "SignalRHub.dll"),
        ContenderKind.Kestrel => Output(KestrelProject, "KestrelBroadcast.dll"),
        _ => Output(ParleyProject, "Parley.Server.dll"),
    };

    private string Output(string project, string dll) =>
        Path.Combine(Path.GetDirectoryName(project)!, "bin", Configuration, "net10.0", dll);

    public static BenchPaths Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        // bin/<Configuration>/net10.0/: build the contenders in the same configuration as the runner.
        var configuration = directory.Parent?.Name ?? "Release";
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        return directory is null
            ? throw new InvalidOperationException("Run from inside the Parley repository (Parley.slnx not found).")
            : new BenchPaths(directory.FullName, configuration);
    }
}
