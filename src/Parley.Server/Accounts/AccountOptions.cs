namespace Parley.Server.Accounts;

/// <summary>Account, password and login-throttle settings, bound from the <c>Accounts</c> section.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>
    /// Whether anyone may create an account with <c>POST /api/auth/register</c> (403 when false). A host that owns the
    /// users turns it off and provisions them by JWT or the server API. Default true.
    /// </summary>
    public bool AllowRegistration { get; set; } = true;

    /// <summary>PBKDF2-HMAC-SHA512 iterations. Default 210,000 (OWASP's figure for PBKDF2-HMAC-SHA512).</summary>
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>Shortest accepted password. Default 8.</summary>
    public int MinPasswordLength { get; set; } = 8;

    /// <summary>
    /// Failed logins for one username from one client address before that pair is throttled. Default 5.
    /// Counted per pair so that nobody can lock another user out from elsewhere (docs/operations.md).
    /// </summary>
    public int MaxFailuresPerUsername { get; set; } = 5;

    /// <summary>Window for <see cref="MaxFailuresPerUsername"/>. Default 5 minutes.</summary>
    public TimeSpan UsernameFailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed logins from one IP address before it is throttled. Default 20.</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;

    /// <summary>Window for <see cref="MaxFailuresPerAddress"/>. Default 1 minute.</summary>
    public TimeSpan AddressFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Most entries each login-throttle table (per pair, per address) holds; past it the entries with the
    /// oldest failures are dropped. Default 10,000 (a few MB at most).
    /// </summary>
    public int LoginThrottleCapacity { get; set; } = 10_000;

    /// <summary>Longest password accepted at registration; a longer one at login is simply wrong. Default 1,024.</summary>
    public const int MaxPasswordLength = 1024;
}
