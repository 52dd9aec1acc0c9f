using Parley.Server.Fanout;
using Parley.Server.Realtime.Chat;
using Parley.Server.Realtime.Direct;
using Parley.Server.Realtime.Gateway;
using Parley.Server.Realtime.Transport;

namespace Parley.Server.Realtime;

/// <summary>Registers and maps the socket protocols.</summary>
public static class RealtimeSetup
{
    public static IServiceCollection AddParleyRealtime(this IServiceCollection services)
    {
        services.AddOptions<RealtimeOptions>()
            .Validate(o => o.ResyncBatchSize >= 1 && o.ProfileCacheCapacity >= 1, "Realtime:ResyncBatchSize and Realtime:ProfileCacheCapacity must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<GatewayOptions>()
            .Validate(o => o.ReadyGuildLimit >= 1 && o.ReadyChannelLimit >= 1, "Gateway:ReadyGuildLimit and Gateway:ReadyChannelLimit must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<SocketHost>();
        services.AddSingleton<SocketEndpoints>();
        services.AddSingleton<UserDisconnectListener>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<UserDisconnectListener>());
        services.AddSingleton<ChannelHub>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<ChannelHub>());
        services.AddSingleton<IBusGapRecovery>(sp => sp.GetRequiredService<ChannelHub>());
        services.AddSingleton<ChatSocketProtocol>();
        services.AddSingleton<UserProfileCache>();
        // Before the hubs: a profile change is dropped before the events after it are encoded.
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<UserProfileCache>());
        services.AddSingleton<DirectHub>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<DirectHub>());
        services.AddHostedService(sp => sp.GetRequiredService<DirectHub>());
        services.AddSingleton<DirectSocketProtocol>();
        services.AddSingleton<IGatewaySessionMirror, NullGatewaySessionMirror>();
        services.AddSingleton<GatewaySessionRegistry>();
        services.AddSingleton<GatewayHub>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<GatewayHub>());
        services.AddHostedService(sp => sp.GetRequiredService<GatewayHub>());
        services.AddSingleton<GatewaySocketProtocol>();
        return services;
    }

    /// <summary>
    /// The end of the socket requests' own pipeline: accepts the upgrade and runs the socket endpoint that
    /// routing chose (the endpoint middleware at the end of the HTTP pipeline never sees these requests).
    /// </summary>
    public static IApplicationBuilder UseParleySockets(this IApplicationBuilder sockets)
    {
        // Before the WebSocket middleware, which reads the upgrade features when it runs: the upgrade goes
        // through wrappers that keep the transport stream for batched writes (TransportCaptureFeature).
        sockets.Use((context, next) =>
        {
            TransportCaptureFeature.Install(context);
            return next(context);
        });
        // Keep-alive is set per socket from RealtimeOptions when it is accepted (SocketHost).
        sockets.UseWebSockets();
        sockets.Run(context => context.GetEndpoint()!.RequestDelegate!(context));
        return sockets;
    }

    public static IEndpointRouteBuilder MapParleySockets(this IEndpointRouteBuilder routes)
    {
        var services = routes.ServiceProvider;
        var host = services.GetRequiredService<SocketHost>();
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(host.CloseAll);
        var endpoints = services.GetRequiredService<SocketEndpoints>();
        endpoints.Map(routes, "/ws/chat", services.GetRequiredService<ChatSocketProtocol>());
        var direct = services.GetRequiredService<DirectSocketProtocol>();
        // The seed system's MessagePal client connects to /message although its document says /messagepal.
        endpoints.Map(routes, "/messagepal", direct);
        endpoints.Map(routes, "/message", direct);
        endpoints.Map(routes, "/gateway", services.GetRequiredService<GatewaySocketProtocol>());
        return routes;
    }
}
