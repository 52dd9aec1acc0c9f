using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Accounts;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// Failed logins are throttled per (username, address) pair (5 in 5 minutes) and per address (20 in 1 minute)
/// with 429 and Retry-After. The server's clock is a <see cref="FakeTimeProvider"/>, so the window passes
/// without waiting. Requests come from 127.0.0.1 unless a test binds another source address.
/// </summary>
public sealed class LoginThrottleTests : HttpTestBase
{
    private const string Password = "password123";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));

    private Task<RawResponse> LoginAsync(string username, string password) =>
        RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username, password }).SendAsync();

    private Task<RawResponse> LoginFromAsync(HttpClient client, string username, string password) =>
        RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username, password }).SendAsync(client);

    private LoginThrottle Throttle => Server.Services.GetRequiredService<LoginThrottle>();

    private async Task FailAsync(string username, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(username, "wrong password")).Status);
        }
    }

    private static int RetryAfterSeconds(RawResponse response)
    {
        Assert.True(response.Headers.RetryAfter?.Delta is not null, "429 must carry Retry-After in seconds.");
        return (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
    }

    [Fact]
    public async Task SixthLoginAfterFiveFailuresIs429WithRetryAfter()
    {
        var ana = await UserAsync("ana");
        await FailAsync(ana.Username, 5);

        var throttled = await LoginAsync(ana.Username, Password);

        ApiAssert.Error(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal(300, RetryAfterSeconds(throttled));
    }

    [Fact]
    public async Task ThrottleLiftsAfterTheWindow()
    {
        var ana = await UserAsync("ana");
        await FailAsync(ana.Username, 5);

        _time.Advance(TimeSpan.FromSeconds(299));
        var almost = await LoginAsync(ana.Username, Password);
        ApiAssert.Error(HttpStatusCode.TooManyRequests, almost);
        Assert.Equal(1, RetryAfterSeconds(almost));

        _time.Advance(TimeSpan.FromSeconds(1));
        var login = await LoginAsync(ana.Username, Password);
        Assert.Equal(HttpStatusCode.OK, login.Status);
    }

    [Fact]
    public async Task RetryAfterShrinksAsTheOldestFailureAges()
    {
        var ana = await UserAsync("ana");
        await FailAsync(ana.Username, 1);
        _time.Advance(TimeSpan.FromSeconds(100));
        await FailAsync(ana.Username, 4);

        var throttled = await LoginAsync(ana.Username, Password);
        Assert.Equal(200, RetryAfterSeconds(throttled));

        // The first failure leaves the window; four remain, below the limit of five.
        _time.Advance(TimeSpan.FromSeconds(200));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(ana.Username, Password)).Status);
    }

    [Fact]
    public async Task ThrottleCountsUsernamesCaseInsensitively()
    {
        var ana = await UserAsync("ana");
        for (var i = 0; i < 5; i++)
        {
            var name = i % 2 == 0 ? ana.Username.ToUpperInvariant() : ana.Username;
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(name, "wrong password")).Status);
        }

        ApiAssert.Error(HttpStatusCode.TooManyRequests, await LoginAsync(ana.Username, Password));
    }

    [Fact]
    public async Task ThrottleOfOneUsernameLeavesOthersAlone()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        await FailAsync(ana.Username, 5);

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(ben.Username, Password)).Status);
    }

    [Fact]
    public async Task UnknownUsernamesAreThrottledTheSameWay()
    {
        await FailAsync("nobody-here", 5);

        var throttled = await LoginAsync("nobody-here", Password);

        ApiAssert.Error(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal(300, RetryAfterSeconds(throttled));
    }

    [Fact]
    public async Task SuccessfulLoginResetsTheUsernameCount()
    {
        var ana = await UserAsync("ana");
        await FailAsync(ana.Username, 4);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(ana.Username, Password)).Status);

        await FailAsync(ana.Username, 4);

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(ana.Username, Password)).Status);
    }

    [Fact]
    public async Task TwentyFailuresFromOneAddressThrottleEveryUsernameForAMinute()
    {
        var ana = await UserAsync("ana");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync($"guess{i}", "wrong password")).Status);
        }

        var throttled = await LoginAsync(ana.Username, Password);
        ApiAssert.Error(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal(60, RetryAfterSeconds(throttled));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(ana.Username, Password)).Status);
    }

    [Fact]
    public async Task SessionsStillWorkWhileTheUsernameIsThrottled()
    {
        var ana = await UserAsync("ana");
        await FailAsync(ana.Username, 5);

        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task RegisteringIsNotThrottledByFailedLogins()
    {
        await FailAsync("newcomer", 5);
        using var anonymous = ApiClient.Anonymous(Server);

        var (status, _) = await anonymous.PostAsync("/api/auth/register", new { username = "newcomer", password = Password });

        Assert.Equal(HttpStatusCode.Created, status);
        ApiAssert.Error(HttpStatusCode.TooManyRequests, await LoginAsync("newcomer", Password));
    }

    [Fact]
    public async Task TheOwnerLogsInFromTheirOwnAddressAfterAStrangersFiveFailures()
    {
        var ana = await UserAsync("ana");
        using var owner = SourceAddressClient.Create(IPAddress.Parse("127.0.0.2"));
        await FailAsync(ana.Username, 5);
        ApiAssert.Error(HttpStatusCode.TooManyRequests, await LoginAsync(ana.Username, Password));

        var login = await LoginFromAsync(owner, ana.Username, Password);

        Assert.Equal(HttpStatusCode.OK, login.Status);
    }

    [Fact]
    public async Task FiveFailuresFromTheOwnersAddressStillThrottleThatAddress()
    {
        var ana = await UserAsync("ana");
        using var owner = SourceAddressClient.Create(IPAddress.Parse("127.0.0.2"));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(owner, ana.Username, "wrong password")).Status);
        }

        ApiAssert.Error(HttpStatusCode.TooManyRequests, await LoginFromAsync(owner, ana.Username, Password));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(ana.Username, Password)).Status);
    }

    [Fact]
    public async Task UsernamesAndPasswordsNoAccountCanHaveAreRefusedWithoutAThrottleEntry()
    {
        var ana = await UserAsync("ana");
        var hugeName = new string('a', 200_000);

        ApiAssert.Error(HttpStatusCode.Unauthorized, await LoginAsync(hugeName, Password));
        ApiAssert.Error(HttpStatusCode.Unauthorized, await LoginAsync(new string('a', 33), Password));
        ApiAssert.Error(HttpStatusCode.Unauthorized, await LoginAsync("no spaces allowed", Password));
        ApiAssert.Error(HttpStatusCode.Unauthorized, await LoginAsync(ana.Username, new string('p', 1025)));

        Assert.Equal(0, Throttle.TrackedPairs);
        Assert.Equal(0, Throttle.TrackedAddresses);
    }
}
