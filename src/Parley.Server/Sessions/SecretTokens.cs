using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Sessions;

/// <summary>Random secrets (session ids, API tokens) and the hashes under which they are stored.</summary>
public static class SecretTokens
{
    /// <summary>256 random bits, base64url, with a prefix that says what the secret is for.</summary>
    public static string New(string prefix) =>
        prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// SHA-256, hex. The secrets have 256 bits of entropy, so a fast hash is enough: a stolen database
    /// does not give usable session ids or tokens.
    /// </summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
