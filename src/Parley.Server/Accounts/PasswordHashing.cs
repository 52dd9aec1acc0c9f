using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>
/// Salted slow password hashes: ASP.NET Core Identity's PBKDF2-HMAC-SHA512 with the iteration count of
/// <see cref="AccountOptions.PasswordHashIterations"/>. Hashes made with fewer iterations still verify and
/// are flagged for rehashing.
/// </summary>
public sealed class PasswordHashing
{
    private readonly PasswordHasher<UserRecord> _hasher;

    // Verified against when the username does not exist, so that a wrong username costs the same time
    // as a wrong password and response times do not reveal which usernames exist.
    private readonly string _decoyHash;

    public PasswordHashing(IOptions<AccountOptions> options)
    {
        _hasher = new PasswordHasher<UserRecord>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordHashIterations,
        }));
        _decoyHash = Hash(Guid.NewGuid().ToString("N"));
    }

    public string Hash(string password) => _hasher.HashPassword(null!, password);

    /// <summary>
    /// Verifies; <paramref name="rehashNeeded"/> is true when the hash should be upgraded. A missing or empty hash (no
    /// such user, or a user the host provisioned, who has no password) never verifies and costs the same time.
    /// </summary>
    public bool Verify(string? hash, string password, out bool rehashNeeded)
    {
        var hasPassword = !string.IsNullOrEmpty(hash);
        var result = _hasher.VerifyHashedPassword(null!, hasPassword ? hash! : _decoyHash, password);
        rehashNeeded = result == PasswordVerificationResult.SuccessRehashNeeded;
        return hasPassword && result != PasswordVerificationResult.Failed;
    }
}
