using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Fanout;
using Parley.Server.Operations;
using Parley.Server.Realtime;
using Parley.Server.Realtime.Direct;
using Parley.Server.Sessions;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// What the <c>/messagepal</c> hub does when a delivery does not fit its bounded queue
/// (<c>Realtime:DeliveryQueueCapacity</c>, here 1) because its delivery loop is behind (here: not running): the
/// recipients' sockets are closed with 4008 so that they reconnect and catch up, instead of losing the event silently.
/// The sockets are real WebSockets over real loopback TCP; the test reads the close frame as the client.
/// </summary>
public sealed class DirectHubOverflowTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly ChannelRecord Dm = new(9, null, "dm-5-6", ChannelTypes.Dm, null, 5, 6, 0, DateTime.UtcNow);

    private readonly List<IDisposable> _owned = [];

    [Fact]
    public async Task ADeliveryThatDoesNotFitClosesItsRecipientsWith4008()
    {
        var options = new RealtimeOptions { DeliveryQueueCapacity = 1 };
        var registry = new ConnectionRegistry();
        var (ana, anaClient) = await ConnectAsync(new AuthenticatedUser(5, "ana", "student", "ana-credential"), options);
        var (ben, benClient) = await ConnectAsync(new AuthenticatedUser(6, "ben", "student", "ben-credential"), options);
        Assert.True(registry.TryRegister(ana, 20));
        Assert.True(registry.TryRegister(ben, 20));
        // Never started: its delivery loop drains nothing, as when it is far behind.
        var hub = new DirectHub(registry, new UserProfileCache(null!, Options.Create(options)), Options.Create(options), TimeProvider.System, NullLogger<DirectHub>.Instance);

        // Ben types: one delivery, to ana, and the queue is full.
        hub.OnEvent(new TypingChanged(6, "ben", Dm, Started: true));
        Assert.False(ana.IsClosing);
        Assert.False(ben.IsClosing);

        // A deletion in their conversation does not fit: both participants are told to reconnect.
        hub.OnEvent(new MessageDeleted(100, Dm));

        foreach (var client in new[] { anaClient, benClient })
        {
            var closed = await ReceiveCloseAsync(client);
            Assert.Equal(4008, (int)closed.CloseStatus!.Value);
            Assert.Equal("Server too busy; reconnect", closed.CloseStatusDescription);
        }
    }

    /// <summary>A server-side <see cref="SocketConnection"/> of a <c>/messagepal</c> session and the client end of it.</summary>
    private async Task<(SocketConnection Server, WebSocket Client)> ConnectAsync(AuthenticatedUser user, RealtimeOptions options)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        _owned.Add(client);
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port).WaitAsync(Timeout);
        var accepted = await listener.AcceptTcpClientAsync().WaitAsync(Timeout);
        _owned.Add(accepted);
        var serverSocket = WebSocket.CreateFromStream(accepted.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: System.Threading.Timeout.InfiniteTimeSpan);
        var clientSocket = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: System.Threading.Timeout.InfiniteTimeSpan);
        _owned.Add(serverSocket);
        _owned.Add(clientSocket);
        var connection = new SocketConnection(serverSocket, null, user, "/messagepal", options, Metrics(), NullLogger.Instance);
        // The session's services are for frames from the client; a delivery uses only the connection.
        connection.ProtocolState = new DirectSession(connection, null!, null!);
        return (connection, clientSocket);
    }

    private ParleyMetrics Metrics()
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _owned.Add(services);
        return new ParleyMetrics(services.GetRequiredService<IMeterFactory>());
    }

    private static async Task<WebSocketReceiveResult> ReceiveCloseAsync(WebSocket client)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result;
            }
        }
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }
}
