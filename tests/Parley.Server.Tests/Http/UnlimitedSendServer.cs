namespace Parley.Server.Tests.Http;

/// <summary>A shared server whose send bucket is large enough for tests that fill channels quickly.</summary>
public sealed class UnlimitedSendServer : SharedServer
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["RateLimit:TokenLimit"] = "100000",
        ["RateLimit:TokensPerPeriod"] = "100000",
    };
}
