using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Parley.Client.Internal;

namespace Parley.Client;

/// <summary>
/// A thin <c>/messagepal</c> (direct messages) connection, opened by <see cref="ParleyClient.OpenDirectAsync"/>
/// with that client's credentials. Server events are handed out raw, as JSON (their typed records are not part
/// of Parley.Protocol yet): <c>connected</c>, <c>message_received</c>, <c>user_typing</c>, <c>message_read</c>,
/// <c>history_response</c>, <c>subscribed</c>, <c>unsubscribed</c>, <c>error</c>. It does not reconnect:
/// when <see cref="Closed"/> completes, open a new one (after 4001, log in first).
/// </summary>
public sealed class ParleyDirectConnection : IAsyncDisposable
{
    internal const string Path = "/messagepal";

    private readonly RawJsonSocket _socket;

    internal ParleyDirectConnection(RawJsonSocket socket)
    {
        _socket = socket;
        _socket.Start();
    }

    /// <summary>Completes with the close code (see <see cref="Protocol.CloseCodes"/>) when the socket ends; null when it dropped without one.</summary>
    public Task<int?> Closed => _socket.Closed;

    /// <summary>The server's close reason, once closed.</summary>
    public string? CloseDescription => _socket.CloseDescription;

    /// <summary>
    /// The server's events in arrival order, each exactly once across all readers; the sequence ends when the
    /// socket closes. Events received before anyone reads are kept.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var frame in _socket.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return frame;
        }
    }

    /// <summary>
    /// <c>send_message</c> to <paramref name="recipientId"/>; returns the <c>clientMsgId</c> sent (a fresh one
    /// unless given), by which the <c>message_received</c> echo can be recognised and a retry made idempotent.
    /// </summary>
    public async Task<string> SendMessageAsync(long recipientId, string content, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(content);
        clientMsgId ??= Guid.NewGuid().ToString("N");
        await SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("type", "send_message");
            w.WriteNumber("recipientId", recipientId);
            w.WriteString("content", content);
            w.WriteString("clientMsgId", clientMsgId);
        }), cancellationToken).ConfigureAwait(false);
        return clientMsgId;
    }

    /// <summary><c>typing</c>: tells <paramref name="recipientId"/> this user is typing.</summary>
    public Task TypingAsync(long recipientId, CancellationToken cancellationToken = default) =>
        SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("type", "typing");
            w.WriteNumber("recipientId", recipientId);
        }), cancellationToken);

    /// <summary><c>mark_read</c>: marks a received message read (only its recipient may).</summary>
    public Task MarkReadAsync(string messageId, CancellationToken cancellationToken = default) =>
        SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("type", "mark_read");
            w.WriteString("messageId", messageId);
        }), cancellationToken);

    /// <summary><c>fetch_history</c>: answered by <c>history_response</c> (oldest first).</summary>
    /// <param name="conversationId"><c>conv_{smaller id}_{larger id}</c>.</param>
    /// <param name="before">(ext) Only messages older than this message id.</param>
    /// <param name="limit">(ext) At most this many, up to 100 (default 50).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task FetchHistoryAsync(string conversationId, string? before = null, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("type", "fetch_history");
            w.WriteString("conversationId", conversationId);
            if (before is not null)
            {
                w.WriteString("before", before);
            }
            if (limit is { } value)
            {
                w.WriteNumber("limit", value);
            }
        }), cancellationToken);

    /// <summary><c>subscribe</c> to a conversation; answered by <c>subscribed</c>.</summary>
    public Task SubscribeAsync(string conversationId, CancellationToken cancellationToken = default) => SendConversationAsync("subscribe", conversationId, cancellationToken);

    /// <summary><c>unsubscribe</c> from a conversation; answered by <c>unsubscribed</c>.</summary>
    public Task UnsubscribeAsync(string conversationId, CancellationToken cancellationToken = default) => SendConversationAsync("unsubscribe", conversationId, cancellationToken);

    /// <summary>The conversation id of two users: <c>conv_{smaller id}_{larger id}</c>.</summary>
    public static string ConversationId(long userA, long userB) =>
        string.Create(CultureInfo.InvariantCulture, $"conv_{Math.Min(userA, userB)}_{Math.Max(userA, userB)}");

    /// <summary>Sends one raw frame (a UTF-8 JSON object), for requests this type has no method for.</summary>
    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) => _socket.SendAsync(utf8Json, cancellationToken);

    /// <summary>Closes the socket politely.</summary>
    public Task CloseAsync() => _socket.CloseAsync();

    /// <summary>Closes the socket and releases it.</summary>
    public ValueTask DisposeAsync() => _socket.DisposeAsync();

    private Task SendConversationAsync(string type, string conversationId, CancellationToken cancellationToken) =>
        SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("type", type);
            w.WriteString("conversationId", conversationId);
        }), cancellationToken);
}
