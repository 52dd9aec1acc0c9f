using System.Collections.Frozen;
using System.Text.Json;
using Parley.Server.Chat;

namespace Parley.Server.Realtime;

/// <summary>
/// The one way a socket protocol reads a client frame: parse it (one set of parse options for every protocol), read
/// its route key, read and check its <b>(ext)</b> <c>requestId</c> when the protocol uses one, run the handler the route
/// names, and hand every failure to the protocol's <see cref="IFrameErrors{TSession}"/>, which answers in the
/// protocol's own wire shape.
/// </summary>
internal sealed class FrameDispatcher<TSession>
{
    /// <summary>JSON nested deeper than this is not JSON to any socket.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth };

    private readonly string _routeKey;
    private readonly bool _readsRequestId;
    private readonly FrozenDictionary<string, FrameHandler<TSession>> _handlers;
    private readonly IFrameErrors<TSession> _errors;

    /// <param name="routeKey">The top-level string field that names the handler: <c>type</c>, or <c>op</c> on the gateway.</param>
    /// <param name="readsRequestId">Whether frames may carry a <c>requestId</c> (<see cref="RequestIds"/>); if not, it is an unknown field.</param>
    /// <param name="handlers">The handler of each route.</param>
    /// <param name="errors">The protocol's answers to what the handlers do not take.</param>
    public FrameDispatcher(string routeKey, bool readsRequestId, IReadOnlyDictionary<string, FrameHandler<TSession>> handlers, IFrameErrors<TSession> errors)
    {
        _routeKey = routeKey;
        _readsRequestId = readsRequestId;
        _handlers = handlers.ToFrozenDictionary(StringComparer.Ordinal);
        _errors = errors;
    }

    /// <summary>
    /// Handles one whole text frame of the socket whose state is <paramref name="session"/>; pass the socket's
    /// <see cref="SocketConnection.Aborted"/>, which the handler's store calls take.
    /// </summary>
    public async Task DispatchAsync(TSession session, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, ParseOptions);
        }
        catch (JsonException)
        {
            await _errors.NotJsonAsync(session);
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            string? requestId = null;
            if (_readsRequestId && !RequestIds.TryRead(root, out requestId))
            {
                // Not handled otherwise, and not copied: it is not a request id.
                await _errors.RefuseAsync(session, RequestIds.Invalid, requestId: null);
                return;
            }
            if (FrameFields.Type(root, _routeKey) is not { } route)
            {
                await _errors.NoRouteAsync(session, requestId);
                return;
            }
            if (!_handlers.TryGetValue(route, out var handler))
            {
                await _errors.UnknownRouteAsync(session, route, requestId);
                return;
            }
            ChatError? error;
            try
            {
                error = await handler(session, root, requestId, cancellationToken);
            }
            // A cancellation is not wrapped: SocketHost tells an aborted socket's cancelled frame from a failure by it.
            catch (Exception ex) when (requestId is not null && ex is not OperationCanceledException)
            {
                throw new FrameFailedException(requestId, ex);
            }
            if (error is not null)
            {
                await _errors.RefuseAsync(session, error, requestId);
            }
        }
    }
}
