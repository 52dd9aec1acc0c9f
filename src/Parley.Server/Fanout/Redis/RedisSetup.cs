using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Server.Chat;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// Swaps the single-node bus, presence, rate limit and gateway session mirror for the Redis ones when
/// <c>Redis:Configuration</c> is set.
/// </summary>
public static class RedisSetup
{
    public static IServiceCollection AddParleyRedisIfConfigured(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!options.Enabled)
        {
            return services;
        }
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var config = ConfigurationOptions.Parse(options.Configuration!);
            // Start even when Redis is down, and keep retrying: a node serves its own sockets meanwhile.
            config.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(config);
        });
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<RedisKeys>();
        services.AddSingleton<RedisBusInterest>();
        services.Replace(ServiceDescriptor.Singleton<IBusInterest>(sp => sp.GetRequiredService<RedisBusInterest>()));
        services.AddSingleton<RedisMessageBus>();
        services.Replace(ServiceDescriptor.Singleton<IMessageBus>(sp => sp.GetRequiredService<RedisMessageBus>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisMessageBus>());
        services.AddSingleton<RedisPresenceTracker>();
        services.Replace(ServiceDescriptor.Singleton<IPresenceTracker>(sp => sp.GetRequiredService<RedisPresenceTracker>()));
        services.AddSingleton<LocalSendRateLimiter>();
        services.Replace(ServiceDescriptor.Singleton<ISendRateLimiter, RedisSendRateLimiter>());
        services.AddHostedService<RedisScaleOutService>();
        // The bus is handed over lazily: it needs the listeners, the gateway's among them, which need the mirror.
        services.Replace(ServiceDescriptor.Singleton<IGatewaySessionMirror>(sp =>
            ActivatorUtilities.CreateInstance<RedisGatewaySessionMirror>(sp, new Lazy<RedisMessageBus>(sp.GetRequiredService<RedisMessageBus>))));
        return services;
    }
}
