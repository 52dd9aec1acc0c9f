using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>Shortcuts for the steps many HTTP tests share.</summary>
public static class ApiClientExtensions
{
    public const string SessionCookieName = "parley_session";

    /// <summary>The session id currently in the client's cookie jar.</summary>
    public static string SessionId(this ApiClient client) =>
        client.Cookies.GetCookies(client.Http.BaseAddress!)[SessionCookieName]?.Value
        ?? throw new InvalidOperationException("The client has no session cookie.");

    /// <summary>Sends over HTTP and expects 201; returns the stored message.</summary>
    public static async Task<JsonElement> SendMessageAsync(this ApiClient client, long channelId, string content = "hello", string? clientMsgId = null)
    {
        var (status, body) = await client.PostAsync("/api/messages", new { channelId, content, clientMsgId });
        Assert.True(status == HttpStatusCode.Created, $"Send answered {(int)status}: {body.GetRawText()}");
        return body;
    }

    public static async Task<long> SendMessageIdAsync(this ApiClient client, long channelId, string content = "hello") =>
        (await client.SendMessageAsync(channelId, content)).GetProperty("id").GetInt64();

    /// <summary>Opens (or gets) the DM channel with <paramref name="userId"/>; returns its id.</summary>
    public static async Task<long> OpenDmAsync(this ApiClient client, long userId)
    {
        var (status, body) = await client.PostAsync("/api/channels/dm", new { userId });
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"Open DM answered {(int)status}: {body.GetRawText()}");
        return body.GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement[]> HistoryAsync(this ApiClient client, long channelId, string query = "")
    {
        var (status, body) = await client.GetAsync($"/api/channels/{channelId}/messages{query}");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.EnumerateArray()];
    }

    public static async Task<int> UnreadAsync(this ApiClient client, long channelId)
    {
        var (status, body) = await client.GetAsync($"/api/channels/{channelId}/unread");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("unreadCount").GetInt32();
    }
}
