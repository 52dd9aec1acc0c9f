namespace Parley.Server.Tests.Http;

/// <summary>
/// A shared server whose send bucket (5 tokens) refills only once an hour, so a test that empties it is refused
/// whatever time it takes, and a test that takes fewer than 5 tokens per user is never refused.
/// </summary>
public sealed class NoRefillSendServer : SharedServer
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["RateLimit:ReplenishmentPeriod"] = "01:00:00",
    };
}
