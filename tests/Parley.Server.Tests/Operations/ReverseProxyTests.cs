using System.Net;
using System.Net.Http.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// Behind a TLS-terminating reverse proxy (a real nginx) a browser works with no other setting; forwarded headers
/// from anyone but a known proxy change nothing.
/// </summary>
public sealed class ReverseProxyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Password = "password123";

    [Fact]
    public async Task BrowserBehindTlsProxyLogsInWithSecureCookieAndOpensAllThreeSockets()
    {
        await using var server = await ParleyTestServer.StartAsync().WaitAsync(Timeout);
        await using var proxy = await NginxProxy.StartAsync(server.BaseAddress).WaitAsync(Timeout);
        var cookies = new CookieContainer();
        using var http = new HttpClient(proxy.CreateHandler(cookies)) { BaseAddress = proxy.BaseAddress, Timeout = Timeout };
        http.DefaultRequestHeaders.Add("Origin", proxy.Origin);

        using var registered = await http.PostAsJsonAsync("/api/auth/register", new { username = "proxied", password = Password });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { username = "proxied", password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        using var me = await http.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        var cookieHeader = cookies.GetCookieHeader(proxy.BaseAddress);
        foreach (var (path, greeting, property) in new[] { ("/ws/chat", "connected", "type"), ("/messagepal", "connected", "type"), ("/gateway", "HELLO", "op") })
        {
            await using var socket = await TestSocket.ConnectAsync(new Uri($"wss://127.0.0.1:{proxy.Port}{path}"), options =>
            {
                options.SetRequestHeader("Cookie", cookieHeader);
                options.SetRequestHeader("Origin", proxy.Origin);
                options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => proxy.Validate(certificate, errors);
            });
            await socket.WaitForAsync(greeting, typeProperty: property);
        }
    }

    [Fact]
    public async Task ForwardedHeadersFromALoopbackProxyAreHonoured()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["Accounts:MaxFailuresPerAddress"] = "2" }).WaitAsync(Timeout);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout };

        using var registered = await SendAsync(http, "/api/auth/register", new { username = "forwarded", password = Password }, "https://chat.example.com", "203.0.113.1");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var login = await SendAsync(http, "/api/auth/login", new { username = "forwarded", password = Password }, "https://chat.example.com", "203.0.113.1");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("secure", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

        // The throttle counts the forwarded client address: two failures from one, then another is still let in.
        for (var i = 0; i < 2; i++)
        {
            using var failed = await SendAsync(http, "/api/auth/login", new { username = $"nobody{i}", password = "wrong" }, null, "203.0.113.1");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        using var sameAddress = await SendAsync(http, "/api/auth/login", new { username = "nobody9", password = "wrong" }, null, "203.0.113.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, sameAddress.StatusCode);
        using var otherAddress = await SendAsync(http, "/api/auth/login", new { username = "nobody9", password = "wrong" }, null, "203.0.113.2");
        Assert.Equal(HttpStatusCode.Unauthorized, otherAddress.StatusCode);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUnknownAddressAreIgnored()
    {
        // Loopback is trusted by default; naming another proxy makes this test's loopback client untrusted.
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Proxy:KnownProxies:0"] = "192.0.2.10",
            ["Accounts:MaxFailuresPerAddress"] = "2",
        }).WaitAsync(Timeout);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout };

        using var crossSite = await SendAsync(http, "/api/auth/register", new { username = "spoofer", password = Password }, "https://chat.example.com", "203.0.113.1");
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        using var registered = await SendAsync(http, "/api/auth/register", new { username = "spoofer", password = Password }, null, "203.0.113.1");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var login = await SendAsync(http, "/api/auth/login", new { username = "spoofer", password = Password }, null, "203.0.113.1");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.DoesNotContain("secure", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

        for (var i = 0; i < 2; i++)
        {
            using var failed = await SendAsync(http, "/api/auth/login", new { username = $"nobody{i}", password = "wrong" }, null, $"203.0.113.{i + 1}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        using var rotated = await SendAsync(http, "/api/auth/login", new { username = "nobody9", password = "wrong" }, null, "203.0.113.3");
        Assert.Equal(HttpStatusCode.TooManyRequests, rotated.StatusCode);
    }

    [Fact]
    public async Task AKnownProxyThatIsNoAddressStopsTheServerFromStarting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["Proxy:KnownProxies:0"] = "proxy.example" }).WaitAsync(Timeout));
        Assert.Contains("Proxy:KnownProxies", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A POST as a proxy would pass it on: the browser's origin, and the client as X-Forwarded-For with https and the public host.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, object body, string? origin, string clientAddress)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "chat.example.com");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return http.SendAsync(request);
    }
}
