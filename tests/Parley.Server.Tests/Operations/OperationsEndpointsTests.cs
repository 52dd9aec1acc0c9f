using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Operations;

/// <summary>Health, metrics and the OpenAPI document on a SQLite server.</summary>
public sealed partial class OperationsEndpointsTests(SharedServer shared) : HttpTestBase(shared), IClassFixture<SharedServer>
{
    [Fact]
    public async Task ReadinessIs200AndNamesTheStoreCheck()
    {
        using var anonymous = ApiClient.Anonymous(Server);
        var (status, body) = await anonymous.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Contains(body.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "store" && c.GetProperty("status").GetString() == "Healthy");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz/live")).Status);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).Status);
    }

    [Fact]
    public async Task MetricsShowPersistedMessagesDeliveriesOpenSocketsKestrelAndRuntime()
    {
        using var scenario = await ChannelScenario.CreateAsync(Server);
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", scenario.Owner);
        await socket.WaitForAsync("connected");
        var (sent, _) = await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = "counted" });
        Assert.Equal(HttpStatusCode.Created, sent);

        using var anonymous = ApiClient.Anonymous(Server);
        // The exporter caches a scrape briefly: poll until this test's measurements are in.
        var text = "";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!timeout.IsCancellationRequested)
        {
            text = await anonymous.Http.GetStringAsync("/metrics", timeout.Token);
            if (Value(text, "parley_messages_persisted_total") >= 1 && Value(text, "parley_deliveries_total") >= 1 && OpenSockets(text).Success)
            {
                break;
            }
            await Task.Delay(100, CancellationToken.None);
        }
        Assert.True(Value(text, "parley_messages_persisted_total") >= 1, text);
        // At least the socket's own "connected" frame (it joined no channel, so the message is not delivered to it).
        Assert.True(Value(text, "parley_deliveries_total") >= 1, text);
        Assert.True(OpenSockets(text).Success, "no parley_sockets_open series with protocol=\"chat\"");
        Assert.Contains("kestrel_", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("parley_store_commit_duration_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocumentListsEveryApiRouteWithSchemas()
    {
        using var anonymous = ApiClient.Anonymous(Server);
        using var document = JsonDocument.Parse(await anonymous.Http.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = root.GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        var mapped = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(documented));

        var login = paths.GetProperty("/api/auth/login").GetProperty("post");
        Assert.True(login.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        var me = paths.GetProperty("/api/auth/me").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(me.GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _), "GET /api/auth/me has no response schema");
    }

    private static double Value(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length == name.Length || l[name.Length] is ' ' or '{'))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Sum();

    private static Match OpenSockets(string text) => OpenSocketsPattern().Match(text);

    // "/api/channels/{id:long}/pin/{messageId:long}" is "/api/channels/{id}/pin/{messageId}" in OpenAPI; a group's "/" ends nothing.
    private static string Normalize(string pattern) => RouteConstraint().Replace(pattern, "}").TrimEnd('/');

    [GeneratedRegex(@"^parley_sockets_open\{[^}]*protocol=""chat""[^}]*\} [1-9]", RegexOptions.Multiline)]
    private static partial Regex OpenSocketsPattern();

    [GeneratedRegex(@":[^}]+\}")]
    private static partial Regex RouteConstraint();
}
