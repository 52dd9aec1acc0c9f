namespace Parley.Bench.Dataset;

/// <summary>
/// What the generator reads from the database before writing: the first free id of each table it writes (one after the
/// highest existing one, so that generated rows name each other without reading anything back) and the owner's password
/// hash, which every generated user gets.
/// </summary>
internal sealed record DatasetStart(long FirstUser, long FirstWorkspace, long FirstChannel, long FirstMessage, string PasswordHash)
{
    /// <summary>The queries that read it, one value each, in the order of the constructor; the same SQL on both backends.</summary>
    public static readonly string[] Queries =
    [
        "SELECT MAX(id) + 1 FROM users",
        "SELECT MAX(id) + 1 FROM workspaces",
        "SELECT MAX(id) + 1 FROM channels",
        "SELECT COALESCE(MAX(id), 0) + 1 FROM messages",
    ];

    public const string PasswordHashQuery = "SELECT password_hash FROM users WHERE id = ";
}
