using Parley.Server.Chat;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Architecture;

/// <summary>
/// Every options class of the server is validated when the server starts (DESIGN.md: "options classes for every
/// tunable, validated at start"): the real server, started with a bad value of one key of each class, refuses to start
/// and names that key. A new options class without a row here fails the first test.
/// </summary>
public sealed class OptionsAreValidatedAtStartTests
{
    /// <summary>One key of each options class, with a value its validation must refuse.</summary>
    private static readonly Dictionary<string, (string Key, string Value)> BadValueOfEachClass = new()
    {
        ["AccountOptions"] = ("Accounts:MinPasswordLength", "0"),
        ["LoginSessionOptions"] = ("Sessions:Lifetime", "00:00:00"),
        ["StorageOptions"] = ("Storage:MaxWriteBatch", "0"),
        ["ChatOptions"] = ("Chat:MaxReplay", "0"),
        ["RateLimitOptions"] = ("RateLimit:TokenLimit", "0"),
        ["SecurityOptions"] = ("Security:AllowedOrigins", "https://app.example/path"),
        ["RealtimeOptions"] = ("Realtime:ResyncBatchSize", "0"),
        ["GatewayOptions"] = ("Gateway:ReadyGuildLimit", "0"),
        ["JwtOptions"] = ("Auth:Jwt:SigningKey", "c2hvcnQ="),
        ["ProxyOptions"] = ("Proxy:KnownProxies", "not-an-address"),
        ["HealthOptions"] = ("Health:CheckTimeout", "00:00:00"),
        ["ServerApiOptions"] = ("Server:MessagesPerSecond", "0"),
        ["RedisOptions"] = ("Redis:NodeHeartbeatInterval", "00:00:00"),
    };

    public static TheoryData<string> OptionsClasses() => [.. BadValueOfEachClass.Keys];

    [Fact]
    public void EveryOptionsClassOfTheServerHasACase()
    {
        var classes = typeof(ChatService).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsNested: false } && t.Name.EndsWith("Options", StringComparison.Ordinal)
                && t.Namespace?.StartsWith("Parley.Server", StringComparison.Ordinal) == true)
            .Select(t => t.Name)
            .Order()
            .ToList();

        Assert.Equal(classes, BadValueOfEachClass.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public async Task TheServerRefusesToStartWithABadValueAndNamesItsKey(string optionsClass)
    {
        var (key, value) = BadValueOfEachClass[optionsClass];
        // Arrays bind from indexed keys.
        var setting = key is "Security:AllowedOrigins" or "Proxy:KnownProxies" ? key + ":0" : key;

        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { [setting] = value });
        });

        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }
}
