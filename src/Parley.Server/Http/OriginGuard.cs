using Microsoft.Extensions.Options;

namespace Parley.Server.Http;

/// <summary>
/// CSRF and cross-site WebSocket hijacking defence next to SameSite cookies: a state-changing request or a
/// WebSocket upgrade whose <c>Origin</c> header is present and is neither the server's own origin (the
/// request's scheme and Host, so a reverse proxy that keeps Host works) nor allow-listed gets 403.
/// </summary>
public sealed class OriginGuard(RequestDelegate next, IOptions<SecurityOptions> options)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var guarded = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            || IsWebSocketUpgrade(request);
        if (guarded && request.Headers.Origin.ToString() is { Length: > 0 } origin && !IsAllowed(request, origin))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsJsonAsync(new { message = "Cross-site request refused." });
        }
        return next(context);
    }

    // Read from the header, not from the WebSocket feature, so the guard works wherever it sits in the pipeline.
    private static bool IsWebSocketUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    private bool IsAllowed(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) || _allowed.Contains(origin);
}
