using System.Text.RegularExpressions;

namespace Parley.Server.Accounts;

/// <summary>What a username and a profile role may be.</summary>
public static partial class UsernameRules
{
    /// <summary>Longest username; keep in step with <see cref="Pattern"/>.</summary>
    public const int MaxLength = 32;

    /// <summary>3–32 letters, digits, <c>_</c>, <c>.</c> or <c>-</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{3,32}$")]
    public static partial Regex Pattern();

    /// <summary>Profile labels from the seed system; they grant no privilege.</summary>
    public static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal) { "student", "teacher", "parent" };

    public const int MaxDisplayNameLength = 64;
}
