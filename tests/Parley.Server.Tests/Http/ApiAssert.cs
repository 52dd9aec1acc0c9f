using System.Net;
using System.Text.Json;

namespace Parley.Server.Tests.Http;

/// <summary>Checks of the API's error shape: the expected status and a <c>{"message": "…"}</c> body.</summary>
public static class ApiAssert
{
    public static void Error(HttpStatusCode expected, (HttpStatusCode Status, JsonElement Body) response)
    {
        Assert.Equal(expected, response.Status);
        HasMessage(response.Body);
    }

    public static void Error(HttpStatusCode expected, RawResponse response)
    {
        Assert.Equal(expected, response.Status);
        HasMessage(response.Json);
    }

    private static void HasMessage(JsonElement body)
    {
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.True(body.TryGetProperty("message", out var message), $"No message in {body.GetRawText()}");
        Assert.Equal(JsonValueKind.String, message.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(message.GetString()));
    }
}
