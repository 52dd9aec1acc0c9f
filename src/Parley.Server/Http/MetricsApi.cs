using System.Globalization;
using System.Text;
using Parley.Server.Realtime;

namespace Parley.Server.Http;

/// <summary>(ext) <c>GET /metrics</c>: a few counters in the Prometheus text format.</summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", (RealtimeMetrics metrics, ConnectionRegistry registry) =>
        {
            var text = new StringBuilder();
            Append(text, "parley_sockets_open", "gauge", "Open WebSockets on this node.", registry.Count);
            Append(text, "parley_sockets_opened_total", "counter", "WebSockets accepted and authenticated since start.", metrics.Opened);
            Append(text, "parley_socket_handler_failures_total", "counter", "Client frames whose handler failed unexpectedly (each is a bug).", metrics.HandlerFailures);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        });
        return routes;
    }

    private static void Append(StringBuilder text, string name, string type, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
