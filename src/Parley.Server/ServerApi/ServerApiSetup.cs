using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Parley.Server.ServerApi;

/// <summary>Registers the host backend's API: its options, keys, rate bound, authentication scheme and policy.</summary>
public static class ServerApiSetup
{
    public static IServiceCollection AddParleyServerApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerApiOptions>().Bind(configuration.GetSection(ServerApiOptions.SectionName))
            .Validate(o => o.MessagesPerSecond >= 1, "Server:MessagesPerSecond must be at least 1.")
            .Validate(o => o.ApiKeys.All(k => !string.IsNullOrWhiteSpace(k.Value)), "Every Server:ApiKeys:<name> needs a secret.")
            .ValidateOnStart();
        services.AddSingleton<ServerKeys>();
        services.AddSingleton<ServerSendRateLimiter>();
        services.AddAuthorization(authorization => authorization.AddPolicy(ServerKeyAuthenticationHandler.PolicyName, policy => policy
            .AddAuthenticationSchemes(ServerKeyAuthenticationHandler.SchemeName)
            .RequireClaim(ServerKeyAuthenticationHandler.KeyNameClaim)));
        return services;
    }

    public static AuthenticationBuilder AddParleyServerKeys(this AuthenticationBuilder authentication) =>
        authentication.AddScheme<AuthenticationSchemeOptions, ServerKeyAuthenticationHandler>(ServerKeyAuthenticationHandler.SchemeName, null);

    /// <summary>Says at start which keys exist (names only), so an operator sees a key missing before a backend does.</summary>
    public static void AnnounceKeys(IServiceProvider services, ILogger logger)
    {
        var names = services.GetRequiredService<IOptions<ServerApiOptions>>().Value.ApiKeys.Keys;
        if (names.Count > 0)
        {
            ServerApiLog.KeysConfigured(logger, string.Join(", ", names.Order(StringComparer.Ordinal)));
        }
    }
}
