using System.Net;
using System.Net.Sockets;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Client.Tests.Infrastructure;

/// <summary>Shared setup: fast client options, free ports, a user with a channel.</summary>
public static class ClientFixtures
{
    public const string Password = "password123";

    /// <summary>Per-test timeout for single awaits.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Production behaviour with test-sized delays: reconnects within tens of milliseconds.</summary>
    public static ParleyClientOptions FastOptions() => new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A loopback port nobody listens on right now, so that a restarted server can take it again.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A connected, logged-in client for the user behind <paramref name="api"/>.</summary>
    public static async Task<ParleyClient> ConnectedClientAsync(ParleyTestServer server, ApiClient api, ParleyClientOptions? options = null)
    {
        var client = new ParleyClient(server.BaseAddress, options ?? FastOptions());
        await client.LoginAsync(api.Username, Password).WaitAsync(TestTimeout);
        await client.ConnectAsync().WaitAsync(TestTimeout);
        return client;
    }

    /// <summary>A logged-in client for the user behind <paramref name="api"/>, without a <c>/ws/chat</c> connection.</summary>
    public static async Task<ParleyClient> LoggedInClientAsync(ParleyTestServer server, ApiClient api)
    {
        var client = new ParleyClient(server.BaseAddress, FastOptions());
        await client.LoginAsync(api.Username, Password).WaitAsync(TestTimeout);
        return client;
    }

    /// <summary>Ana owns a workspace with one channel; Ben is a member.</summary>
    public static async Task<(ApiClient Ana, ApiClient Ben, long Workspace, long Channel)> TwoUsersAndChannelAsync(ParleyTestServer server, string type = "text")
    {
        var ana = await ApiClient.UserAsync(server, "ana");
        var ben = await ApiClient.UserAsync(server, "ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var channel = await ana.CreateChannelAsync(workspace, type: type);
        return (ana, ben, workspace, channel);
    }
}
