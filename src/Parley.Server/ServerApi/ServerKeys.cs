using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Parley.Server.ServerApi;

/// <summary>The configured server keys, looked up in constant time.</summary>
public sealed class ServerKeys(IOptions<ServerApiOptions> options)
{
    // Hashes, not the secrets: equal lengths for a fixed-time comparison, and no secret left in memory to dump.
    private readonly (string Name, byte[] Hash)[] _keys = [.. options.Value.ApiKeys.Select(k => (k.Key, Hash(k.Value)))];

    /// <summary>
    /// The name of the key whose secret is <paramref name="presented"/>, or null. Every key is compared, each in fixed
    /// time, so the answer's timing tells nothing about any secret.
    /// </summary>
    public string? Find(string presented)
    {
        var hash = Hash(presented);
        string? found = null;
        foreach (var (name, keyHash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found ??= name;
            }
        }
        return found;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
