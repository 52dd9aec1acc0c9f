using System.Text.Json;
using Parley.Client.Internal;
using Parley.Protocol.Chat;

namespace Parley.Client;

// Requests and their answers: every frame carries a fresh requestId, which the server copies onto the answer on this
// socket, so an answer (or an error) is matched to its request by id, and requests may overlap.
public sealed partial class ParleyDirectConnection
{
    // Guarded by _requests itself, in the order written.
    private readonly List<DirectPendingRequest> _requests = [];
    private bool _requestsClosed;

    /// <summary>Writes a request with a fresh requestId and completes with its answer's payload.</summary>
    private async Task<T> RequestAsync<T>(string type, string? key, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
        where T : class
    {
        var request = new DirectPendingRequest(_socket.NextRequestId(), type, key);
        lock (_requests)
        {
            if (_requestsClosed)
            {
                throw new ParleyConnectionClosedException(_socket.Closed.Result, _socket.CloseDescription);
            }
            _requests.Add(request);
        }
        try
        {
            await SendAsync(Frame(type, request.RequestId, body), cancellationToken).ConfigureAwait(false);
            return (T)await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_requests)
            {
                _requests.Remove(request);
            }
        }
    }

    /// <summary>Writes a request that has no answer of its own (its refusal comes as <see cref="ErrorReceived"/>).</summary>
    private Task WriteAsync(string type, Action<Utf8JsonWriter> body, CancellationToken cancellationToken) =>
        SendAsync(Frame(type, _socket.NextRequestId(), body), cancellationToken);

    private static byte[] Frame(string type, string requestId, Action<Utf8JsonWriter> body) => ClientFrames.Write(w =>
    {
        w.WriteString("type", type);
        w.WriteString("requestId", requestId);
        body(w);
    });

    /// <summary>
    /// The request an answer belongs to: the one whose requestId the server copied onto it; with none (a server
    /// without request ids), the oldest one it <paramref name="fits"/>. Null when it answers none of this socket's.
    /// </summary>
    private DirectPendingRequest? Answered(JsonElement frame, Func<DirectPendingRequest, bool> fits)
    {
        var requestId = frame.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        lock (_requests)
        {
            var request = _requests.FirstOrDefault(r => (requestId is null || r.RequestId == requestId) && fits(r));
            if (request is not null)
            {
                _requests.Remove(request);
            }
            return request;
        }
    }

    private void Answer(JsonElement frame, string type, string? key, object payload) =>
        Answered(frame, r => r.Type == type && (r.Key is null || r.Key == key))?.Completion.TrySetResult(payload);

    /// <summary>Fails the request an error answers; errors about the socket or unreadable frames answer none without an id.</summary>
    private void Refuse(JsonElement frame, ErrorEvent error)
    {
        if (frame.TryGetProperty("requestId", out _) || error.Code is not (Protocol.ErrorCodes.Unauthorized or Protocol.ErrorCodes.InvalidJson or Protocol.ErrorCodes.UnknownType))
        {
            Answered(frame, static _ => true)?.Completion.TrySetException(new ParleyRequestException(error));
        }
    }

    private void FailRequests()
    {
        List<DirectPendingRequest> failed;
        lock (_requests)
        {
            _requestsClosed = true;
            failed = [.. _requests];
            _requests.Clear();
        }
        var closed = new ParleyConnectionClosedException(_socket.Closed.Result, _socket.CloseDescription);
        foreach (var request in failed)
        {
            request.Completion.TrySetException(closed);
        }
    }
}
