using System.Net.Http.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// Requests without a cookie jar, so a test decides every header itself: replaying an old cookie, a bearer
/// token, a foreign Origin.
/// </summary>
public static class RawHttp
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static HttpRequestMessage Request(ParleyTestServer server, HttpMethod method, string path, object? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(server.BaseAddress, path));
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }
        return request;
    }

    public static HttpRequestMessage WithCookie(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.Add("Cookie", $"{name}={value}");
        return request;
    }

    public static HttpRequestMessage WithHeader(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public static Task<RawResponse> SendAsync(this HttpRequestMessage request) => request.SendAsync(Client);

    /// <summary>Sends through <paramref name="client"/>, e.g. one bound to another source address.</summary>
    public static async Task<RawResponse> SendAsync(this HttpRequestMessage request, HttpClient client)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new RawResponse(response.StatusCode, response.Headers, response.Content.Headers, text);
        }
    }
}
