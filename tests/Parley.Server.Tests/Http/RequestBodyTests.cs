using System.Net;
using System.Text;

namespace Parley.Server.Tests.Http;

/// <summary>Bodies the endpoints cannot use: malformed JSON, wrong field types, no body, too large a body.</summary>
public sealed class RequestBodyTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private async Task<RawResponse> PostRawAsync(string path, string body, string? sessionId = null, string mediaType = "application/json")
    {
        var request = RawHttp.Request(Server, HttpMethod.Post, path);
        request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        // Like a careful client, wait for the server's go-ahead before uploading: a body over the cap is then
        // refused with 413 before it is sent, instead of the server closing mid-upload (a broken pipe here).
        request.Headers.ExpectContinue = true;
        if (sessionId is not null)
        {
            request.WithCookie(ApiClientExtensions.SessionCookieName, sessionId);
        }
        return await request.SendAsync();
    }

    [Theory]
    [InlineData("/api/auth/register", "{\"username\": \"ana\", \"password\": ")]
    [InlineData("/api/auth/register", "{username: 'ana'}")]
    [InlineData("/api/auth/login", "not json at all")]
    [InlineData("/api/auth/login", "{\"username\": \"ana\", \"password\": \"x\"} trailing")]
    public async Task MalformedJsonIs400WithAMessage(string path, string body)
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await PostRawAsync(path, body));
    }

    [Theory]
    [InlineData("/api/workspaces", "{\"name\": ")]
    [InlineData("/api/messages", "{\"channelId\": 1, \"content\": \"hi\"")]
    [InlineData("/api/channels/dm", "[[[")]
    [InlineData("/api/auth/tokens", "{\"name\": \"unterminated}")]
    public async Task MalformedJsonOnAuthenticatedEndpointsIs400WithAMessage(string path, string body)
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await PostRawAsync(path, body, ana.SessionId()));
    }

    [Theory]
    [InlineData("/api/auth/register", "{\"username\": 12345, \"password\": \"password123\"}")]
    [InlineData("/api/auth/register", "{\"username\": \"ana\", \"password\": [\"password123\"]}")]
    [InlineData("/api/auth/login", "{\"username\": {\"$ne\": null}, \"password\": \"x\"}")]
    [InlineData("/api/auth/login", "{\"username\": \"ana\", \"password\": true}")]
    public async Task WrongFieldTypesAre400WithAMessage(string path, string body)
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await PostRawAsync(path, body));
    }

    [Theory]
    [InlineData("/api/workspaces", "{\"name\": 42}")]
    [InlineData("/api/messages", "{\"channelId\": \"one\", \"content\": \"hi\"}")]
    [InlineData("/api/messages", "{\"channelId\": 1.5, \"content\": \"hi\"}")]
    [InlineData("/api/messages", "{\"channelId\": 1, \"content\": {\"text\": \"hi\"}}")]
    [InlineData("/api/channels/dm", "{\"userId\": true}")]
    [InlineData("/api/channels/dm", "{\"userId\": 99999999999999999999999}")]
    public async Task WrongFieldTypesOnAuthenticatedEndpointsAre400WithAMessage(string path, string body)
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await PostRawAsync(path, body, ana.SessionId()));
    }

    [Fact]
    public async Task WrongFieldTypeForMemberIs400WithAMessage()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await PostRawAsync($"/api/workspaces/{workspace}/members", "{\"userId\": [1]}", ana.SessionId()));
    }

    [Theory]
    [InlineData("/api/auth/register")]
    [InlineData("/api/auth/login")]
    public async Task EmptyBodyIs400WithAMessage(string path)
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await PostRawAsync(path, ""));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"ana\"")]
    public async Task BodyThatIsNotAnObjectIs400WithAMessage(string body)
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await PostRawAsync("/api/auth/register", body));
    }

    [Fact]
    public async Task UnknownExtraFieldsAreIgnored()
    {
        var response = await PostRawAsync("/api/auth/register", "{\"username\": \"extra_fields\", \"password\": \"password123\", \"isAdmin\": true, \"extra\": [1, 2]}");

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Fact]
    public async Task NonJsonContentTypeIsRefusedWithAMessage()
    {
        var response = await PostRawAsync("/api/auth/register", "username=ana&password=password123", mediaType: "application/x-www-form-urlencoded");

        ApiAssert.Error(HttpStatusCode.UnsupportedMediaType, response);
    }

    [Fact]
    public async Task BodyOver1MiBIsRejected()
    {
        var ana = await UserAsync("ana");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());
        var content = new string('x', 1024 * 1024);

        var response = await PostRawAsync("/api/messages", $"{{\"channelId\": {channel}, \"content\": \"{content}\"}}", ana.SessionId());

        ApiAssert.Error(HttpStatusCode.RequestEntityTooLarge, response);
        Assert.Empty(await ana.HistoryAsync(channel));
    }

    [Fact]
    public async Task BodyOver1MiBIsRejectedBeforeRegistering()
    {
        var padding = new string(' ', 1024 * 1024);

        var response = await PostRawAsync("/api/auth/register", $"{{\"username\": \"too_big\", \"password\": \"password123\"{padding}}}");

        ApiAssert.Error(HttpStatusCode.RequestEntityTooLarge, response);
        var login = await RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username = "too_big", password = "password123" }).SendAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);
    }

    [Fact]
    public async Task BodyJustUnder1MiBIsReadAndJudgedOnItsContent()
    {
        var ana = await UserAsync("ana");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());
        // Under the body cap but over the 4000-character content limit: the message rules answer, not the cap.
        var content = new string('x', 1000 * 1000);

        var response = await PostRawAsync("/api/messages", $"{{\"channelId\": {channel}, \"content\": \"{content}\"}}", ana.SessionId());

        ApiAssert.Error(HttpStatusCode.BadRequest, response);
    }

    [Fact]
    public async Task ChunkedBodyOver1MiBIsRejected()
    {
        var ana = await UserAsync("ana");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());
        var body = Encoding.UTF8.GetBytes($"{{\"channelId\": {channel}, \"content\": \"{new string('x', 2 * 1024 * 1024)}\"}}");
        var request = RawHttp.Request(Server, HttpMethod.Post, "/api/messages").WithCookie(ApiClientExtensions.SessionCookieName, ana.SessionId());
        // A stream of unknown length goes out chunked, so the server cannot refuse on Content-Length alone.
        request.Content = new StreamContent(new NonSeekableStream(body));
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await request.SendAsync();

        ApiAssert.Error(HttpStatusCode.RequestEntityTooLarge, response);
        Assert.Empty(await ana.HistoryAsync(channel));
    }
}
