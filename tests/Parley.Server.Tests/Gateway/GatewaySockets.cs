using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

/// <summary>Helpers for <c>/gateway</c> tests: frames are <c>{op, d}</c> or dispatches <c>{t, d, s}</c>.</summary>
internal static class GatewaySockets
{
    /// <summary>Opens <c>/gateway</c> as the user and waits for HELLO.</summary>
    public static async Task<TestSocket> OpenAsync(IServerEndpoint server, ApiClient user)
    {
        var socket = await TestSocket.ConnectAsync(server, "/gateway", user);
        await socket.OpAsync("HELLO");
        return socket;
    }

    /// <summary>Opens, IDENTIFIES and returns the socket with its READY dispatch.</summary>
    public static async Task<(TestSocket Socket, JsonElement Ready)> IdentifyAsync(IServerEndpoint server, ApiClient user)
    {
        var socket = await OpenAsync(server, user);
        await socket.SendAsync(new { op = "IDENTIFY", d = new { userId = user.UserId } });
        return (socket, await socket.DispatchAsync("READY"));
    }

    public static Task<JsonElement> OpAsync(this TestSocket socket, string op, TimeSpan? timeout = null) =>
        socket.WaitForAsync(op, timeout: timeout, typeProperty: "op");

    public static Task<JsonElement> DispatchAsync(this TestSocket socket, string t, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null) =>
        socket.WaitForAsync(t, match, timeout, typeProperty: "t");

    /// <summary>Every dispatch received so far, in order.</summary>
    public static List<JsonElement> Dispatches(this TestSocket socket) =>
        [.. socket.Snapshot().Where(f => f.TryGetProperty("t", out _))];

    public static string T(this JsonElement frame) => frame.GetProperty("t").GetString()!;

    public static long S(this JsonElement frame) => frame.GetProperty("s").GetInt64();

    public static JsonElement D(this JsonElement frame) => frame.GetProperty("d");
}
