using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Parley.Server.Tests.Http;

/// <summary>A response read to the end: status, headers and body text.</summary>
public sealed record RawResponse(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, string Text)
{
    public JsonElement Json => Text.Length == 0 ? default : JsonDocument.Parse(Text).RootElement.Clone();

    public IReadOnlyList<string> SetCookies => Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
}
