using Parley.Server.Fanout;
using Parley.Server.Realtime.Chat;
using Parley.Server.Realtime.Direct;
using Parley.Server.Realtime.Gateway;
using Parley.Server.Realtime.Transport;

namespace Parley.Server.Realtime;

/// <summary>Registers and maps the socket protocols.</summary>
public static class RealtimeSetup
{
    private const string ChatPath = "/ws/chat";
    private const string DirectPath = "/messagepal";
    // The seed system's MessagePal client connects to /message although its document says /messagepal.
    private const string DirectSeedPath = "/message";
    private const string GatewayPath = "/gateway";

    private static readonly HashSet<string> SocketPaths = new([ChatPath, DirectPath, DirectSeedPath, GatewayPath], StringComparer.OrdinalIgnoreCase);

    public static IServiceCollection AddParleyRealtime(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<RealtimeMetrics>();
        services.AddSingleton<SocketHost>();
        services.AddSingleton<ChannelHub>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<ChannelHub>());
        services.AddSingleton<IBusGapRecovery>(sp => sp.GetRequiredService<ChannelHub>());
        services.AddSingleton<ChatSocketProtocol>();
        services.AddSingleton<UserProfileCache>();
        services.AddSingleton<DirectHub>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<DirectHub>());
        services.AddSingleton<DirectSocketProtocol>();
        services.AddSingleton<IGatewaySessionMirror, NullGatewaySessionMirror>();
        services.AddSingleton<GatewaySessionRegistry>();
        services.AddSingleton<GatewayHub>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<GatewayHub>());
        services.AddSingleton<GatewaySocketProtocol>();
        return services;
    }

    public static WebApplication UseParleyRealtime(this WebApplication app)
    {
        // Before the WebSocket middleware, which reads the upgrade features when it runs: socket requests
        // upgrade through wrappers that keep the transport stream for batched writes (TransportCaptureFeature).
        app.Use((context, next) =>
        {
            if (SocketPaths.Contains(context.Request.Path.Value ?? ""))
            {
                TransportCaptureFeature.Install(context);
            }
            return next(context);
        });
        // Keep-alive is set per socket from RealtimeOptions when it is accepted (SocketHost).
        app.UseWebSockets();
        var host = app.Services.GetRequiredService<SocketHost>();
        app.Lifetime.ApplicationStopping.Register(host.CloseAll);
        return app;
    }

    public static IEndpointRouteBuilder MapParleySockets(this IEndpointRouteBuilder routes)
    {
        var host = routes.ServiceProvider.GetRequiredService<SocketHost>();
        var chat = routes.ServiceProvider.GetRequiredService<ChatSocketProtocol>();
        routes.Map(ChatPath, context => host.RunAsync(context, chat));
        var direct = routes.ServiceProvider.GetRequiredService<DirectSocketProtocol>();
        routes.Map(DirectPath, context => host.RunAsync(context, direct));
        routes.Map(DirectSeedPath, context => host.RunAsync(context, direct));
        var gateway = routes.ServiceProvider.GetRequiredService<GatewaySocketProtocol>();
        routes.Map(GatewayPath, context => host.RunAsync(context, gateway));
        return routes;
    }
}
