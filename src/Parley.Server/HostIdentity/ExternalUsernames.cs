using System.Security.Cryptography;
using Parley.Server.Accounts;

namespace Parley.Server.HostIdentity;

/// <summary>
/// Usernames for users the host provisions by JWT: from <c>preferred_username</c>, else <c>name</c>, else <c>sub</c>,
/// made valid for <see cref="UsernameRules"/> and, by a suffix, unique.
/// </summary>
public static class ExternalUsernames
{
    private const int MaxLength = 32;
    private const int NumberedAttempts = 5;
    private const string Fallback = "user";

    /// <summary>The first candidate that makes a valid username once characters outside the rules become <c>_</c>.</summary>
    public static string Base(params string?[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (Sanitize(candidate) is { } name)
            {
                return name;
            }
        }
        return Fallback;
    }

    /// <summary>
    /// The name to try at <paramref name="attempt"/> (1, 2, …): the base, then <c>base-2</c> … <c>base-5</c>, then a
    /// random suffix, so that a popular name does not cost one insert per user already holding a number.
    /// </summary>
    public static string WithSuffix(string baseName, int attempt)
    {
        if (attempt <= 1)
        {
            return baseName;
        }
        var suffix = attempt <= NumberedAttempts
            ? "-" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return baseName[..Math.Min(baseName.Length, MaxLength - suffix.Length)] + suffix;
    }

    private static string? Sanitize(string? candidate)
    {
        if (string.IsNullOrWhiteSpace(candidate))
        {
            return null;
        }
        var chars = candidate.Trim().Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray();
        var name = new string(chars).Trim('_');
        if (name.Length > MaxLength)
        {
            name = name[..MaxLength];
        }
        // Mostly replaced characters (a name in another script) make a poor username: try the next candidate.
        return name.Length >= 3 && name.Count(char.IsAsciiLetterOrDigit) >= 3 && UsernameRules.Pattern().IsMatch(name) ? name : null;
    }
}
