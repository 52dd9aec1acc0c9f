namespace Parley.Server.Sessions;

/// <summary>The session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS, Path=/, lasting as long as the session.</summary>
public static class SessionCookie
{
    public static void Append(HttpContext context, LoginSessionOptions options, string sessionId) =>
        context.Response.Cookies.Append(options.CookieName, sessionId, Build(context, options));

    public static void Delete(HttpContext context, LoginSessionOptions options) =>
        context.Response.Cookies.Delete(options.CookieName, Build(context, options));

    private static CookieOptions Build(HttpContext context, LoginSessionOptions options) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = options.Lifetime,
        IsEssential = true,
    };
}
