using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Parley.Protocol.Json;
using Parley.Server.Accounts;
using Parley.Server.Channels;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Fanout.Redis;
using Parley.Server.HostIdentity;
using Parley.Server.Http;
using Parley.Server.Messages;
using Parley.Server.Operations;
using Parley.Server.Realtime;
using Parley.Server.Realtime.Gateway;
using Parley.Server.ServerApi;
using Parley.Server.Sessions;
using Parley.Server.Storage;
using Parley.Server.Storage.Postgres;
using Parley.Server.Storage.Sqlite;
using Parley.Server.Workspaces;

namespace Parley.Server;

/// <summary>How the Parley server is composed; <c>Program.cs</c> and the tests build it the same way.</summary>
public static class ParleyServerSetup
{
    public const string DefaultConnectionString = "Data Source=data/parley.db";
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddParley(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // Every options class is validated when the server starts, with a message that names the key to fix
        // (Architecture/OptionsAreValidatedAtStartTests starts the server with a bad value of each class).
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.SectionName))
            .Validate(o => o.PasswordHashIterations >= 1, "Accounts:PasswordHashIterations must be at least 1.")
            .Validate(o => o.MinPasswordLength is >= 1 and <= AccountOptions.MaxPasswordLength,
                $"Accounts:MinPasswordLength must be between 1 and {AccountOptions.MaxPasswordLength}.")
            .Validate(o => o.MaxFailuresPerUsername >= 1 && o.MaxFailuresPerAddress >= 1,
                "Accounts:MaxFailuresPerUsername and Accounts:MaxFailuresPerAddress must be at least 1.")
            .Validate(o => o.UsernameFailureWindow > TimeSpan.Zero && o.AddressFailureWindow > TimeSpan.Zero,
                "Accounts:UsernameFailureWindow and Accounts:AddressFailureWindow must be positive.")
            .Validate(o => o.LoginThrottleCapacity >= 1, "Accounts:LoginThrottleCapacity must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<LoginSessionOptions>().Bind(configuration.GetSection(LoginSessionOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.CookieName), "Sessions:CookieName must not be empty.")
            .Validate(o => o.Lifetime > TimeSpan.Zero, "Sessions:Lifetime must be positive.")
            .Validate(o => o.RefreshGranularity >= TimeSpan.Zero, "Sessions:RefreshGranularity must not be negative.")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => o.Provider.ToLowerInvariant() is "sqlite" or "postgres", "Storage:Provider must be sqlite or postgres.")
            .Validate(o => o.SqliteSynchronous.ToUpperInvariant() is "FULL" or "NORMAL" or "OFF", "Storage:SqliteSynchronous must be FULL, NORMAL or OFF.")
            .Validate(o => o.MaxWriteBatch >= 1, "Storage:MaxWriteBatch must be at least 1.")
            .Validate(o => o.MaxQueuedWrites >= 1, "Storage:MaxQueuedWrites must be at least 1.")
            .ValidateOnStart();
        services.Configure<ChatOptions>(configuration.GetSection(ChatOptions.SectionName));
        services.AddOptions<ChatOptions>()
            .Validate(o => o.MaxUnreadCount >= 1 && o.DefaultListLimit >= 1 && o.MaxListLimit >= o.DefaultListLimit,
                "Chat:MaxUnreadCount and Chat:DefaultListLimit must be at least 1, and Chat:MaxListLimit at least Chat:DefaultListLimit.")
            .Validate(o => o.MaxReplay >= 1 && o.ReplayPageSize >= 1, "Chat:MaxReplay and Chat:ReplayPageSize must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .Validate(o => o.TokenLimit >= 1 && o.TokensPerPeriod >= 1, "RateLimit:TokenLimit and RateLimit:TokensPerPeriod must be at least 1.")
            .Validate(o => o.ReplenishmentPeriod > TimeSpan.Zero, "RateLimit:ReplenishmentPeriod must be positive.")
            .ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName))
            .Validate(o => o.AllowedOrigins.All(SecurityOptions.IsOrigin),
                "Security:AllowedOrigins must be origins: scheme://host[:port] with http or https, no path.")
            .ValidateOnStart();
        services.Configure<RealtimeOptions>(configuration.GetSection(RealtimeOptions.SectionName));
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.SectionName));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IChatStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>();
            var connectionString = configuration.GetConnectionString("Chat");
            return storage.Value.Provider.ToLowerInvariant() switch
            {
                "sqlite" => new SqliteChatStore(connectionString ?? DefaultConnectionString, storage, sp.GetRequiredService<ILogger<SqliteChatStore>>()),
                // No default: a SQLite file path is no Npgsql connection string, and guessing a server is worse.
                "postgres" => new PostgresChatStore(
                    connectionString ?? throw new InvalidOperationException("Storage:Provider 'postgres' needs ConnectionStrings:Chat (an Npgsql connection string)."),
                    sp.GetRequiredService<ILogger<PostgresChatStore>>(), storage.Value.MaxWriteBatch, storage.Value.MaxQueuedWrites),
                _ => throw new InvalidOperationException($"Storage:Provider '{storage.Value.Provider}' is not supported; use 'sqlite' or 'postgres'."),
            };
        });

        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<CredentialRevocations>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<RequestCredentials>();
        services.AddSingleton<CredentialMonitor>();
        services.AddSingleton<IBusGapRecovery>(sp => sp.GetRequiredService<CredentialMonitor>());
        services.AddParleyHostIdentity(configuration);
        services.AddParleyServerApi(configuration);
        var jwtEnabled = JwtOptions.IsConfigured(configuration);
        services.AddAuthentication(ParleyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ParleyAuthenticationHandler>(ParleyAuthenticationHandler.SchemeName,
                o => o.ForwardDefaultSelector = context => ParleyAuthenticationHandler.SelectScheme(context, jwtEnabled))
            .AddParleyServerKeys()
            .AddParleyJwt(configuration);
        services.AddAuthorization();

        services.AddSingleton<IBusInterest, EveryEventHere>();
        services.AddSingleton<MembershipIndex>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<MembershipIndex>());
        services.AddSingleton<IBusGapRecovery>(sp => sp.GetRequiredService<MembershipIndex>());
        services.AddSingleton<IMessageBus, InMemoryMessageBus>();
        services.AddSingleton<IPresenceTracker, InMemoryPresenceTracker>();
        services.AddSingleton<ISendRateLimiter, LocalSendRateLimiter>();
        services.AddSingleton<RevocationListener>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<RevocationListener>());
        services.AddSingleton<ChatAccess>();
        services.AddSingleton<ChatService>();
        services.AddSingleton<PinService>();
        services.AddSingleton<ChatQueries>();
        services.AddSingleton<WorkspaceService>();
        services.AddSingleton<UserDirectory>();
        services.AddParleyRealtime();
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Prefix), "Redis:Prefix must not be empty.")
            .Validate(o => o.NodeHeartbeatInterval > TimeSpan.Zero && o.NodeExpiry > o.NodeHeartbeatInterval,
                "Redis:NodeHeartbeatInterval must be positive and Redis:NodeExpiry longer than it.")
            .Validate(o => o.ResyncInterval > TimeSpan.Zero && o.ThoroughResyncInterval > TimeSpan.Zero && o.ConfirmTimeout > TimeSpan.Zero,
                "Redis:ResyncInterval, Redis:ThoroughResyncInterval and Redis:ConfirmTimeout must be positive.")
            .ValidateOnStart();
        services.AddParleyRedisIfConfigured(configuration);
        // After Redis: its readiness check is registered when Redis is.
        services.AddParleyOperations(configuration);

        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new UtcMillisecondsConverter()));
        return builder;
    }

    /// <summary>Migrates the store; call before the server starts listening. Caches fill as sockets open.</summary>
    public static async Task InitializeParleyAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var store = app.Services.GetRequiredService<IChatStore>();
        await store.MigrateAsync(cancellationToken);
    }

    public static WebApplication MapParley(this WebApplication app)
    {
        // Before routing and everything else: the origin check, the session cookie and the login throttle
        // must see the client's scheme, host and address, not the reverse proxy's.
        app.UseParleyForwardedHeaders();
        app.UseRouting();
        // Socket requests branch off first (routing has already chosen their endpoint): a socket holds its
        // request for its whole life, so it skips what only the HTTP API needs (see SocketEndpoints).
        app.MapWhen(SocketEndpoints.IsSocketRequest, sockets =>
        {
            sockets.UseMiddleware<ApiErrorHandler>();
            sockets.UseMiddleware<OriginGuard>();
            sockets.UseParleySockets();
        });
        app.UseMiddleware<ApiErrorHandler>();
        app.UseMiddleware<OriginGuard>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapParleyOperations();
        app.MapAccountsApi();
        app.MapWorkspacesApi();
        app.MapChannelsApi();
        app.MapMessagesApi();
        app.MapConversationsApi();
        app.MapServerApi();
        app.MapParleySockets();
        app.MapWebClientRoutes();
        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    /// <summary>
    /// The web client's own addresses (<c>/w/…</c> a workspace channel, <c>/dm/…</c> a DM) are pages of the client:
    /// a reload or a shared link gets index.html, and the client reads the path. Only these prefixes, and only GET
    /// and HEAD, so unknown API and socket paths keep their 404 in the API's error shape.
    /// </summary>
    private static void MapWebClientRoutes(this WebApplication app)
    {
        var pageMethods = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]);
        app.MapFallbackToFile("/w/{**path}", "index.html").WithMetadata(pageMethods);
        app.MapFallbackToFile("/dm/{**path}", "index.html").WithMetadata(pageMethods);
    }

    private static void AnnounceAddresses(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Parley");
        // A Postgres connection string may carry a password: log only where it points.
        var connectionString = app.Configuration.GetConnectionString("Chat") ?? DefaultConnectionString;
        var storage = app.Services.GetRequiredService<IChatStore>() is PostgresChatStore ? PostgresChatStore.Describe(connectionString) : connectionString;
        foreach (var address in app.Urls)
        {
            ServerLog.Running(logger, address.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal) + "/", storage);
        }
        ServerApiSetup.AnnounceKeys(app.Services, logger);
    }
}
