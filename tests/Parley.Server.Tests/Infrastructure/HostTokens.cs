using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>A host that signs its users' JWTs with an HS256 key, as the embedding product would; settings to match.</summary>
public sealed class HostTokens
{
    public const string Issuer = "https://host.example";
    public const string Audience = "parley";

    public byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>Server settings that trust this host's tokens, with no clock skew so that expiry is exact.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(Key),
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:ClockSkew"] = "00:00:00",
    };

    /// <summary>A token for <paramref name="sub"/>, valid for <paramref name="lifetime"/> (negative: already expired).</summary>
    public string Mint(
        string sub, string? preferredUsername = null, string? name = null, TimeSpan? lifetime = null,
        byte[]? key = null, string issuer = Issuer, string audience = Audience)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var claims = new Dictionary<string, object> { ["sub"] = sub };
        if (preferredUsername is not null)
        {
            claims["preferred_username"] = preferredUsername;
        }
        if (name is not null)
        {
            claims["name"] = name;
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires < now ? expires - TimeSpan.FromMinutes(10) : now,
            NotBefore = expires < now ? expires - TimeSpan.FromMinutes(10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }
}
