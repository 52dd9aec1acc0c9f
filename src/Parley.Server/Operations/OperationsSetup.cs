using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace Parley.Server.Operations;

/// <summary>
/// What an operator and a reverse proxy need: forwarded headers, health checks, metrics and the OpenAPI document.
/// </summary>
public static class OperationsSetup
{
    private const string ReadyTag = "ready";

    /// <summary>The platform's meters exported beside Parley's own.</summary>
    private static readonly string[] PlatformMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static IServiceCollection AddParleyOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>()
            .Bind(configuration.GetSection(ProxyOptions.SectionName))
            .Validate(o => o.InvalidEntries().Count == 0, "Proxy:KnownProxies must be IP addresses and Proxy:KnownNetworks CIDR networks (10.0.0.0/8).")
            .ValidateOnStart();
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ConfigureForwardedHeaders>();

        services.AddOptions<HealthOptions>()
            .Bind(configuration.GetSection(HealthOptions.SectionName))
            .Validate(o => o.CheckTimeout > TimeSpan.Zero, "Health:CheckTimeout must be positive.")
            .ValidateOnStart();
        var timeout = (configuration.GetSection(HealthOptions.SectionName).Get<HealthOptions>() ?? new HealthOptions()).CheckTimeout;
        // A bad value must reach the validation above (which names the key) instead of failing here with the
        // platform's own ArgumentOutOfRangeException; the server does not start with it either way.
        if (timeout <= TimeSpan.Zero)
        {
            timeout = Timeout.InfiniteTimeSpan;
        }
        var checks = services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>(StoreHealthCheck.Name, tags: [ReadyTag], timeout: timeout);
        if (services.Any(d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            checks.AddCheck<RedisHealthCheck>(RedisHealthCheck.Name, tags: [ReadyTag], timeout: timeout);
        }

        services.AddSingleton<ParleyMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ParleyMetrics.MeterName)
            .AddMeter(PlatformMeters)
            .AddPrometheusExporter());

        // Only the HTTP API: the sockets and operational endpoints are described in docs/protocol.md and docs/operations.md.
        services.AddOpenApi(openApi => openApi.ShouldInclude = description =>
            description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the client's address, scheme and host.</summary>
    public static IApplicationBuilder UseParleyForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    public static IEndpointRouteBuilder MapParleyOperations(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        routes.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        routes.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthResponseWriter.WriteAsync });
        routes.MapPrometheusScrapingEndpoint("/metrics");
        routes.MapOpenApi("/openapi/{documentName}.json");
        return routes;
    }
}
