using System.Net;
using Parley.Client.Internal;

namespace Parley.Client;

/// <summary>
/// A Parley client: logs in over HTTP (keeping the session cookie) or uses an API token, and holds one
/// <c>/ws/chat</c> connection that survives server restarts and network drops.
/// </summary>
/// <remarks>
/// <para>
/// <b>Delivery.</b> For every joined channel the client remembers the last <c>seq</c> it delivered. After a
/// reconnect it joins each channel again with <c>since</c> = that seq, so the server replays what was missed
/// before any live message; messages whose seq was already delivered are dropped. Each channel's messages
/// therefore reach <see cref="MessageReceived"/> exactly once and in seq order.
/// </para>
/// <para>
/// <b>Requests.</b> Joins, leaves and sends wait in an outbox until the server answers them. Each write carries
/// (ext) a fresh <c>requestId</c>, which the server copies onto its answer, so the client matches answers to requests
/// by id and pipelines sends: up to <see cref="ParleyClientOptions.MaxSendsInFlight"/> at once, each completing
/// with its own echo or error (with a server that echoes no ids, by the order of the answers, which the server
/// keeps). A send refused with <c>rate_limited</c> fails; nothing is retried by itself. A request the connection
/// lost before its answer is written again after reconnecting; sends carry a fresh <c>clientMsgId</c>, so the
/// server stores each at most once and <see cref="SendAsync"/> completes with the stored message.
/// </para>
/// <para>
/// <b>Reconnection.</b> Exponential backoff from <see cref="ParleyClientOptions.InitialBackoff"/>, doubling
/// to at most <see cref="ParleyClientOptions.MaxBackoff"/>, with jitter. A close with 4001 (logged out,
/// session revoked) ends it: the state becomes <see cref="ParleyConnectionState.Closed"/> and pending
/// requests fail with <see cref="ParleyConnectionClosedException"/>.
/// </para>
/// <para>
/// <b>Events</b> are C# events raised on the client's receive loop, one at a time in wire order; see
/// <see cref="MessageReceived"/>. The type is thread-safe.
/// </para>
/// </remarks>
public sealed partial class ParleyClient : IAsyncDisposable
{
    private const string ChatPath = "/ws/chat";

    private readonly ParleyClientOptions _options;
    private readonly HttpClient _http;
    private readonly SocketCredentials _credentials;
    private readonly ReconnectBackoff _backoff;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Lock _gate = new();

    private ParleyConnectionState _state;
    private int? _closeStatus;
    private string? _closeDescription;
    private long? _userId;
    private string? _username;
    private string? _apiToken;
    private Task? _runTask;
    private CancellationTokenSource? _runAbort;
    private TaskCompletionSource? _firstConnected;
    private volatile bool _stopRequested;
    private bool _disposed;

    /// <summary>Creates a client for the server at <paramref name="serverAddress"/> (for example <c>https://chat.example.org/</c>).</summary>
    public ParleyClient(Uri serverAddress, ParleyClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serverAddress);
        if (!serverAddress.IsAbsoluteUri || (serverAddress.Scheme != Uri.UriSchemeHttp && serverAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The server address must be an absolute http or https URI.", nameof(serverAddress));
        }
        _options = options ?? new ParleyClientOptions();
        _options.Validate();
        ServerAddress = serverAddress;
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, UseCookies = true }) { BaseAddress = serverAddress };
        _credentials = new SocketCredentials(serverAddress, Cookies, () => ApiToken, _options.PassTokenInQuery);
        _backoff = new ReconnectBackoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffJitter, Random.Shared);
    }

    /// <summary>The server's HTTP address.</summary>
    public Uri ServerAddress { get; }

    /// <summary>
    /// The cookie jar shared by HTTP requests and socket upgrades. <see cref="LoginAsync"/> fills it; a caller
    /// that already has a session cookie may add it here instead.
    /// </summary>
    public CookieContainer Cookies { get; }

    /// <summary>
    /// An API token (from <see cref="CreateApiTokenAsync"/> or elsewhere), sent as <c>Authorization: Bearer</c>
    /// on HTTP requests and socket upgrades (or <c>?token=</c>, see <see cref="ParleyClientOptions.PassTokenInQuery"/>).
    /// The server prefers a session cookie when both are present. Takes effect at the next connection.
    /// </summary>
    public string? ApiToken
    {
        get => Volatile.Read(ref _apiToken);
        set => Volatile.Write(ref _apiToken, value);
    }

    /// <summary>The state of the <c>/ws/chat</c> connection.</summary>
    public ParleyConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The logged-in user's id, from <see cref="LoginAsync"/> or the socket's <c>connected</c> event; null before.</summary>
    public long? UserId
    {
        get
        {
            lock (_gate)
            {
                return _userId;
            }
        }
    }

    /// <summary>The logged-in user's name; null before login or connection.</summary>
    public string? Username
    {
        get
        {
            lock (_gate)
            {
                return _username;
            }
        }
    }

    /// <summary>
    /// Opens the <c>/ws/chat</c> connection and completes once the server confirmed it (<c>connected</c>);
    /// from then on the client reconnects by itself. Throws when the first attempt fails (the server is
    /// unreachable, or refused the credentials: <see cref="ParleyConnectionClosedException"/> with 4001).
    /// Calling it again while the client is running (connected or reconnecting) only waits for that first
    /// connection; watch <see cref="State"/> or <see cref="StateChanged"/> for later ones.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        Task first;
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_runTask is { IsCompleted: false } && _firstConnected is not null)
            {
                first = _firstConnected.Task;
            }
            else
            {
                _runAbort?.Dispose();
                _runAbort = new CancellationTokenSource();
                _firstConnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _stopRequested = false;
                first = _firstConnected.Task;
                var abort = _runAbort.Token;
                var signal = _firstConnected;
                _runTask = Task.Run(() => RunAsync(signal, abort), CancellationToken.None);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
        try
        {
            await first.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DisconnectAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Closes the <c>/ws/chat</c> connection and stops reconnecting. Joined channels, their last seen seq and
    /// queued sends are kept: a later <see cref="ConnectAsync"/> rejoins where the client left off and sends
    /// what is queued.
    /// </summary>
    public async Task DisconnectAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopRunAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task StopRunAsync()
    {
        var run = _runTask;
        if (run is null)
        {
            return;
        }
        _stopRequested = true;
        SocketSession? session;
        lock (_gate)
        {
            session = _session;
        }
        if (session is not null)
        {
            // Close politely and give the server a moment to answer, then cut the rest short.
            await session.CloseOutputAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        }
        await _runAbort!.CancelAsync().ConfigureAwait(false);
        await run.ConfigureAwait(false);
        _runTask = null;
        _firstConnected?.TrySetCanceled();
        lock (_gate)
        {
            if (_state == ParleyConnectionState.Closed)
            {
                return;
            }
        }
        SetState(new ParleyStateChangedEventArgs(ParleyConnectionState.Disconnected));
    }

    /// <summary>
    /// Opens a <c>/messagepal</c> socket (direct messages) with this client's credentials; await
    /// <see cref="ParleyDirectConnection.Connected"/> to know it was accepted. It does not reconnect by itself;
    /// see <see cref="ParleyDirectConnection"/>.
    /// </summary>
    public async Task<ParleyDirectConnection> OpenDirectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var socket = await RawJsonSocket.ConnectAsync(_credentials, ParleyDirectConnection.Path, _options, cancellationToken).ConfigureAwait(false);
        return new ParleyDirectConnection(socket);
    }

    /// <summary>
    /// Opens a <c>/gateway</c> socket with this client's credentials. It does not identify or reconnect by
    /// itself: attach handlers, then call <see cref="ParleyGatewayConnection.IdentifyAsync"/> (or, after a drop,
    /// <see cref="ParleyGatewayConnection.ResumeAsync(ParleyGatewayConnection, CancellationToken)"/>), after
    /// which it keeps itself alive with heartbeats.
    /// </summary>
    public async Task<ParleyGatewayConnection> OpenGatewayAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var socket = await RawJsonSocket.ConnectAsync(_credentials, ParleyGatewayConnection.Path, _options, cancellationToken).ConfigureAwait(false);
        return new ParleyGatewayConnection(socket);
    }

    /// <summary>Disconnects, fails whatever is still queued with <see cref="ObjectDisposedException"/>, and releases the HTTP client.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            await StopRunAsync().ConfigureAwait(false);
            FailPending(new ObjectDisposedException(nameof(ParleyClient)));
            _runAbort?.Dispose();
            _http.Dispose();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private void SetState(ParleyStateChangedEventArgs change)
    {
        lock (_gate)
        {
            _state = change.State;
            if (change.State == ParleyConnectionState.Closed)
            {
                _closeStatus = change.CloseStatus;
                _closeDescription = change.CloseDescription;
            }
        }
        Raise(StateChanged, change);
    }
}
