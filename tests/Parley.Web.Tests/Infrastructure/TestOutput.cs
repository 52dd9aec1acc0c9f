namespace Parley.Web.Tests.Infrastructure;

/// <summary>Where tests leave files for people to look at: test-output/ at the repository root.</summary>
public static class TestOutput
{
    public static string Directory { get; } = Create();

    public static string PathFor(string fileName) => Path.Combine(Directory, fileName);

    private static string Create()
    {
        // The output folder is tests/Parley.Web.Tests/bin/<configuration>/<tfm>/: walk up to the solution.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Parley.slnx")))
        {
            root = root.Parent;
        }
        var path = Path.Combine(root?.FullName ?? System.IO.Directory.GetCurrentDirectory(), "test-output");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
