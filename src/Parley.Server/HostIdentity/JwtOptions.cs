namespace Parley.Server.HostIdentity;

/// <summary>
/// Sign-in with the host's JWTs, bound from the <c>Auth:Jwt</c> section. Off unless <see cref="SigningKey"/> or
/// <see cref="Authority"/> is set (exactly one of them); validated at start (<see cref="JwtOptionsValidator"/>).
/// </summary>
public sealed class JwtOptions
{
    public const string SectionName = "Auth:Jwt";

    /// <summary>The least length of an HS256 key: the hash's own size, as RFC 7518 §3.2 asks.</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>HS256 shared secret, base64, at least 32 bytes. Default none.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect issuer; its signing keys come from its discovery document. Default none.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Required <c>iss</c>. Default none: not checked with <see cref="SigningKey"/>; with <see cref="Authority"/>, the
    /// issuer of its discovery document.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Required <c>aud</c>. Default none: not checked.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Tolerated clock difference between the host and Parley when checking <c>exp</c> (and <c>nbf</c>); a socket
    /// opened with a token is closed at <c>exp</c> plus this. Default 5 minutes (IdentityModel's).
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether <see cref="Authority"/> must be HTTPS. Default true; turn off only for a development issuer.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrEmpty(SigningKey) || !string.IsNullOrEmpty(Authority);

    /// <summary>Whether the configuration turns JWT sign-in on (read before the options exist, to register the scheme).</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return !string.IsNullOrEmpty(section[nameof(SigningKey)]) || !string.IsNullOrEmpty(section[nameof(Authority)]);
    }
}
