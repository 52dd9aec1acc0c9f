namespace Parley.Web.Tests.Infrastructure;

/// <summary>Server settings some browser tests need.</summary>
public static class ServerSettings
{
    /// <summary>A send bucket large enough to fill a channel with history over HTTP before the browser opens it.</summary>
    public static IDictionary<string, string?> UnlimitedSends() => new Dictionary<string, string?>
    {
        ["RateLimit:TokenLimit"] = "100000",
        ["RateLimit:TokensPerPeriod"] = "100000",
    };
}
