using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Parley.Server.Sessions;

namespace Parley.Server.HostIdentity;

/// <summary>
/// Sign-in with the host's JWTs, beside sessions and API tokens: the platform's JwtBearer handler, configured from
/// <see cref="JwtOptions"/>, whose validated token is turned into the Parley user with that external id.
/// </summary>
public static class HostIdentitySetup
{
    private const string SubjectClaim = "sub";
    private const string NameClaim = "name";
    private const string PreferredUsernameClaim = "preferred_username";

    public static IServiceCollection AddParleyHostIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JwtOptions>().Bind(configuration.GetSection(JwtOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddSingleton<HostUsers>();
        services.AddSingleton<SocketJwtAuthenticator>();
        return services;
    }

    /// <summary>Adds the JwtBearer scheme when <c>Auth:Jwt</c> turns it on.</summary>
    public static AuthenticationBuilder AddParleyJwt(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        if (JwtOptions.IsConfigured(configuration))
        {
            authentication.AddJwtBearer();
            authentication.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<JwtOptions>>(Configure);
        }
        return authentication;
    }

    /// <summary>True when the request's <c>Authorization: Bearer</c> value is a JWT (API tokens have no dots).</summary>
    public static bool HasBearerJwt(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.AsSpan("Bearer ".Length).Contains('.');
    }

    private static void Configure(JwtBearerOptions bearer, IOptions<JwtOptions> options)
    {
        var jwt = options.Value;
        // Keep the token's own claim names (sub, name, preferred_username) instead of the WS-* URIs.
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = jwt.Issuer is not null || jwt.Authority is not null,
            ValidIssuer = jwt.Issuer,
            ValidateAudience = jwt.Audience is not null,
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = jwt.ClockSkew,
            ValidateIssuerSigningKey = true,
            NameClaimType = NameClaim,
        };
        if (!string.IsNullOrEmpty(jwt.SigningKey))
        {
            bearer.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(JwtOptionsValidator.DecodeKey(jwt.SigningKey));
            bearer.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        else
        {
            bearer.Authority = jwt.Authority;
            bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        }
        bearer.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                // A socket upgrade passes its token here (browsers cannot set headers on a WebSocket); HTTP uses the header.
                if (context.HttpContext.Features.Get<SocketAccessTokenFeature>() is { } socket)
                {
                    context.Token = socket.Token;
                }
                return Task.CompletedTask;
            },
            OnTokenValidated = ToParleyUserAsync,
            OnChallenge = context =>
            {
                // The API's own 401 body, as for sessions and API tokens.
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                return context.Response.WriteAsJsonAsync(new { message = "Authentication required" });
            },
        };
    }

    /// <summary>The validated token's <c>sub</c> becomes the Parley user with that external id, provisioned on first sight.</summary>
    private static async Task ToParleyUserAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var subject = principal.FindFirstValue(SubjectClaim);
        if (string.IsNullOrEmpty(subject) || subject.Length > HostUsers.MaxExternalIdLength)
        {
            HostIdentityLog.TokenRefused(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HostIdentitySetup)), "no usable sub");
            context.Fail("The token has no usable sub.");
            return;
        }
        var users = context.HttpContext.RequestServices.GetRequiredService<HostUsers>();
        var user = await users.GetOrProvisionAsync(subject, principal.FindFirstValue(PreferredUsernameClaim), principal.FindFirstValue(NameClaim), context.HttpContext.RequestAborted);
        // The socket opened with this token closes when the token stops being accepted (4011).
        var expiresAt = new DateTimeOffset(DateTime.SpecifyKind(context.SecurityToken.ValidTo, DateTimeKind.Utc)) + context.Options.TokenValidationParameters.ClockSkew;
        context.Principal = new AuthenticatedUser(user.Id, user.Username, user.Role, SessionService.HostCredential(user.Id), expiresAt).ToPrincipal(context.Scheme.Name);
    }
}
