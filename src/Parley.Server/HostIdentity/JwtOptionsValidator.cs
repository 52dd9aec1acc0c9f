using Microsoft.Extensions.Options;

namespace Parley.Server.HostIdentity;

/// <summary>Refuses to start with a JWT setting that would fail (or be weak) on the first token.</summary>
public sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.SigningKey) && !string.IsNullOrEmpty(options.Authority))
        {
            failures.Add("Set either Auth:Jwt:SigningKey or Auth:Jwt:Authority, not both.");
        }
        if (!string.IsNullOrEmpty(options.SigningKey) && DecodeKey(options.SigningKey) is not { Length: >= JwtOptions.MinSigningKeyBytes })
        {
            failures.Add($"Auth:Jwt:SigningKey must be base64 of at least {JwtOptions.MinSigningKeyBytes} bytes (HS256).");
        }
        if (!string.IsNullOrEmpty(options.Authority) && !Uri.TryCreate(options.Authority, UriKind.Absolute, out _))
        {
            failures.Add("Auth:Jwt:Authority must be an absolute URL.");
        }
        if (options.ClockSkew < TimeSpan.Zero)
        {
            failures.Add("Auth:Jwt:ClockSkew must not be negative.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The key's bytes, or null when it is not base64.</summary>
    public static byte[]? DecodeKey(string signingKey)
    {
        try
        {
            return Convert.FromBase64String(signingKey);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
