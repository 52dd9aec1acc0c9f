using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Server.Chat;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>Swaps the single-node bus, presence and rate limit for the Redis ones when <c>Redis:Configuration</c> is set.</summary>
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
        services.AddSingleton<RedisMessageBus>();
        services.Replace(ServiceDescriptor.Singleton<IMessageBus>(sp => sp.GetRequiredService<RedisMessageBus>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisMessageBus>());
        services.AddSingleton<RedisPresenceTracker>();
        services.Replace(ServiceDescriptor.Singleton<IPresenceTracker>(sp => sp.GetRequiredService<RedisPresenceTracker>()));
        services.AddSingleton<LocalSendRateLimiter>();
        services.Replace(ServiceDescriptor.Singleton<ISendRateLimiter, RedisSendRateLimiter>());
        services.AddHostedService<RedisScaleOutService>();
        return services;
    }
}
