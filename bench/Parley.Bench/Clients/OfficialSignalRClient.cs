using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Parley.Bench.Clients;

/// <summary>The SignalR peer driven by Microsoft.AspNetCore.SignalR.Client (WebSockets, JSON, no negotiate).</summary>
internal sealed class OfficialSignalRClient(int index, int channel, Uri baseUri, HttpMessageInvoker invoker) : IBenchClient
{
    private readonly string _group = FormattableString.Invariant($"c{channel}");
    private HubConnection? _connection;
    private volatile bool _open;
    private volatile string? _closeReason;

    public int Index { get; } = index;

    public int Channel { get; } = channel;

    public bool IsOpen => _open;

    public string? CloseReason => _closeReason;

    public IDeliverySink? Sink { get; set; }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "/hub"), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, ct) =>
                {
                    var socket = new ClientWebSocket();
                    socket.Options.KeepAliveInterval = TimeSpan.Zero;
                    await socket.ConnectAsync(context.Uri, invoker, ct);
                    return socket;
                };
            })
            .Build();
        _connection.On<string>("m", payload =>
        {
            FrameCounter.Increment();
            if (Sink is { } sink)
            {
                Markers.Scan(payload, sink, Index, Stopwatch.GetTimestamp());
            }
        });
        await _connection.StartAsync(cancellationToken);
        await _connection.InvokeAsync("JoinGroup", _group, cancellationToken);
        _open = true;
    }

    public async Task ReceiveAsync(IDeliverySink? sink)
    {
        Sink = sink;
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connection!.Closed += ex =>
        {
            _closeReason ??= ex?.Message ?? "closed";
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        if (_connection.State == HubConnectionState.Disconnected)
        {
            closed.TrySetResult();
        }
        await closed.Task;
        _open = false;
    }

    public async ValueTask SendAsync(long id) =>
        await _connection!.SendAsync("Send", _group, Dialect.Content(id, Stopwatch.GetTimestamp()));

    public ValueTask PingAsync() => ValueTask.CompletedTask;

    public void Abort()
    {
        _closeReason ??= "aborted by the generator";
        _ = _connection?.DisposeAsync().AsTask();
    }
}
