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

    // This guard runs before UseWebSockets, so context.WebSockets.IsWebSocketRequest is always false here:
    // an upgrade is recognised by its Upgrade header, as the WebSocket middleware itself does.
    private static bool IsWebSocketUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.Any(value => value is not null && value.Contains("websocket", StringComparison.OrdinalIgnoreCase));

    private bool IsAllowed(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) || _allowed.Contains(origin);
}
