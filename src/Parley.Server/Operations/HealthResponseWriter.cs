using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Parley.Server.Operations;

/// <summary>
/// The body of <c>/healthz/ready</c>: the overall status and each check by name. A failed check shows the
/// exception's type, not its message: the endpoint is public, and driver messages name hosts and ports.
/// </summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                error = entry.Value.Exception?.GetType().Name,
            }),
        });
}
