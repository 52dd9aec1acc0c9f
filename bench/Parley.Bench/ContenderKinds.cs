namespace Parley.Bench;

internal static class ContenderKinds
{
    public static ContenderKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "parley" => ContenderKind.Parley,
        "parley-normal" => ContenderKind.ParleyNormal,
        "parley-postgres" => ContenderKind.ParleyPostgres,
        "signalr" => ContenderKind.SignalR,
        "kestrel" => ContenderKind.Kestrel,
        _ => throw new ArgumentException($"Unknown contender '{name}'."),
    };

    public static string Label(this ContenderKind kind) => kind switch
    {
        ContenderKind.Parley => "Parley",
        ContenderKind.ParleyNormal => "Parley (sync NORMAL)",
        ContenderKind.ParleyPostgres => "Parley (PostgreSQL)",
        ContenderKind.SignalR => "SignalR",
        ContenderKind.Kestrel => "Kestrel",
        _ => kind.ToString(),
    };

    public static bool IsParley(this ContenderKind kind) => kind is ContenderKind.Parley or ContenderKind.ParleyNormal or ContenderKind.ParleyPostgres;

    /// <summary>The contenders that run only where storage is what is measured (latency and persistence).</summary>
    public static bool IsStorageVariant(this ContenderKind kind) => kind is ContenderKind.ParleyNormal or ContenderKind.ParleyPostgres;
}
