using Parley.Server.Fanout;
using Parley.Server.Realtime.Chat;

namespace Parley.Server.Realtime;

/// <summary>Registers and maps the socket protocols.</summary>
public static class RealtimeSetup
{
    public static IServiceCollection AddParleyRealtime(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<RealtimeMetrics>();
        services.AddSingleton<SocketHost>();
        services.AddSingleton<ChannelHub>();
        services.AddSingleton<IChatEventListener>(sp => sp.GetRequiredService<ChannelHub>());
        services.AddSingleton<IBusGapRecovery>(sp => sp.GetRequiredService<ChannelHub>());
        services.AddSingleton<ChatSocketProtocol>();
        return services;
    }

    public static WebApplication UseParleyRealtime(this WebApplication app)
    {
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
        routes.Map("/ws/chat", context => host.RunAsync(context, chat));
        return routes;
    }
}
