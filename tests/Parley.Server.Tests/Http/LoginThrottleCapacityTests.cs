using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Accounts;

namespace Parley.Server.Tests.Http;

/// <summary>
/// A flood of failed logins with ever new usernames cannot grow the throttle past its capacity, and what it
/// holds expires with the window.
/// </summary>
public sealed class LoginThrottleCapacityTests : HttpTestBase
{
    private const int Capacity = 50;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Accounts:LoginThrottleCapacity"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Accounts:MaxFailuresPerAddress"] = "100000",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));

    private LoginThrottle Throttle => Server.Services.GetRequiredService<LoginThrottle>();

    [Fact]
    public async Task AFloodOfDistinctUsernamesLeavesTheThrottleBoundedAndItEmptiesAfterTheWindow()
    {
        var hugeName = new string('x', 500_000);
        for (var i = 0; i < 4 * Capacity; i++)
        {
            var username = i % 4 == 0 ? hugeName + i : $"guess{i}";
            var failed = await RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username, password = "wrong password" }).SendAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, failed.Status);
            Assert.InRange(Throttle.TrackedPairs, 0, Capacity);
        }
        Assert.InRange(Throttle.TrackedPairs, Capacity / 2, Capacity);
        Assert.Equal(1, Throttle.TrackedAddresses);

        _time.Advance(TimeSpan.FromMinutes(5));
        var after = await RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username = "late", password = "wrong password" }).SendAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Equal(1, Throttle.TrackedPairs);
        Assert.Equal(1, Throttle.TrackedAddresses);
    }
}
