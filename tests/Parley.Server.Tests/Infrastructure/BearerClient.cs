using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>An HTTP client that sends one bearer credential (a host JWT or a server key) and no cookies.</summary>
public sealed class BearerClient(IServerEndpoint server, string? bearer) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response.Headers);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, path);
        return (status, body);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body = null)
    {
        var (status, json, _) = await SendAsync(HttpMethod.Post, path, body ?? new { });
        return (status, json);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(string path, object? body = null)
    {
        var (status, json, _) = await SendAsync(HttpMethod.Put, path, body ?? new { });
        return (status, json);
    }

    public async Task<HttpStatusCode> DeleteAsync(string path) => (await SendAsync(HttpMethod.Delete, path)).Status;

    public void Dispose() => _http.Dispose();
}
