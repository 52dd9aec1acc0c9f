using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Internal;
using Parley.Protocol.Chat;
using Parley.Protocol.Direct;
using Parley.Protocol.Json;

namespace Parley.Client;

/// <summary>
/// A thin <c>/messagepal</c> (direct messages) connection, opened by <see cref="ParleyClient.OpenDirectAsync"/>
/// with that client's credentials. Requests are written as they are called; what the server sends comes back
/// as typed C# events carrying the wire records of <c>Parley.Protocol.Direct</c>, and every frame also raw
/// through <see cref="FrameReceived"/>. It does not reconnect: when <see cref="Closed"/> completes, open a new
/// one (after 4001, log in first).
/// </summary>
/// <remarks>
/// Every request frame carries (ext) a fresh <c>requestId</c>, which the server copies onto the answer on this socket
/// only, so requests with an answer complete with it (<see cref="SendMessageAsync"/> with this socket's
/// <c>message_received</c>, <see cref="FetchHistoryAsync"/>, <see cref="SubscribeAsync"/>,
/// <see cref="UnsubscribeAsync"/>) or fail with <see cref="ParleyRequestException"/> on their <c>error</c>, and may
/// overlap; with a server that copies no ids, an answer goes to the oldest request it fits. <c>typing</c> and
/// <c>mark_read</c> have no answer of their own and complete once written. Every <c>error</c> also arrives through
/// <see cref="ErrorReceived"/>. Events are raised on the receive loop, one at a
/// time in wire order; handlers should return quickly, and an exception a handler throws goes to
/// <see cref="EventHandlerFailed"/> instead of ending the connection. The type is thread-safe.
/// </remarks>
public sealed partial class ParleyDirectConnection : IAsyncDisposable
{
    internal const string Path = "/messagepal";

    private static readonly ProtocolJsonContext Wire = ProtocolJsonContext.Default;

    private readonly RawJsonSocket _socket;
    private readonly TaskCompletionSource<DirectConnectedPayload> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ParleyDirectConnection(RawJsonSocket socket)
    {
        _socket = socket;
        // Nobody awaiting Connected must not leave an unobserved exception behind when the socket is refused.
        _ = _connected.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _socket.Start(OnFrame, OnClosed);
    }

    /// <summary>Every frame from the server, raw, before the typed event it also raises (if any).</summary>
    public event EventHandler<JsonElement>? FrameReceived;

    /// <summary>
    /// <c>message_received</c>: a stored direct message of this user's, sent by them (from any socket, the
    /// echo of a send included) or to them. Also the original again when a send repeated a <c>clientMsgId</c>.
    /// </summary>
    public event EventHandler<DirectMessage>? MessageReceived;

    /// <summary><c>user_typing</c>: the other user of a conversation is typing to this one.</summary>
    public event EventHandler<DirectTypingPayload>? UserTyping;

    /// <summary><c>message_read</c>: a message this user sent or received was marked read by its recipient.</summary>
    public event EventHandler<DirectReadPayload>? MessageRead;

    /// <summary>(ext) <c>message_deleted</c>: a message of one of this user's conversations was deleted.</summary>
    public event EventHandler<DirectDeletedPayload>? MessageDeleted;

    /// <summary>(ext) <c>message_updated</c>: a message of one of this user's conversations was edited; the message as stored now.</summary>
    public event EventHandler<DirectMessage>? MessageUpdated;

    /// <summary><c>history_response</c>: the answer to <see cref="FetchHistoryAsync"/>, oldest first.</summary>
    public event EventHandler<DirectHistoryPayload>? HistoryReceived;

    /// <summary><c>subscribed</c>: the answer to <see cref="SubscribeAsync"/>.</summary>
    public event EventHandler<DirectConversationPayload>? Subscribed;

    /// <summary><c>unsubscribed</c>: the answer to <see cref="UnsubscribeAsync"/>.</summary>
    public event EventHandler<DirectConversationPayload>? Unsubscribed;

    /// <summary><c>error</c>: a request was refused (the socket stays open), or, with code <c>unauthorized</c>, just before a 4001 close.</summary>
    public event EventHandler<ErrorEvent>? ErrorReceived;

    /// <summary>An event handler of this connection threw; the exception is passed here and otherwise ignored.</summary>
    public event EventHandler<Exception>? EventHandlerFailed;

    /// <summary>
    /// Completes with the server's <c>connected</c> (the authenticated user); fails with
    /// <see cref="ParleyConnectionClosedException"/> when the socket closes first (4001 without valid credentials).
    /// </summary>
    public Task<DirectConnectedPayload> Connected => _connected.Task;

    /// <summary>Completes with the close code (see <see cref="Protocol.CloseCodes"/>) when the socket ends; null when it dropped without one.</summary>
    public Task<int?> Closed => _socket.Closed;

    /// <summary>The server's close reason, once closed.</summary>
    public string? CloseDescription => _socket.CloseDescription;

    /// <summary>The conversation id of two users: <c>conv_{smaller id}_{larger id}</c>.</summary>
    public static string ConversationId(long userA, long userB) => ConversationIds.Format(userA, userB);

    /// <summary>
    /// <c>send_message</c> to <paramref name="recipientId"/>; completes with the stored message, this socket's
    /// <c>message_received</c> for it (the original again when <paramref name="clientMsgId"/> was used before, which
    /// makes a retry safe). A refusal fails it with <see cref="ParleyRequestException"/>: <c>rate_limited</c> (not
    /// retried: send it again later), <c>not_found</c> for an unknown recipient, and so on.
    /// </summary>
    /// <param name="recipientId">The other user.</param>
    /// <param name="content">The text, 1 to 4,000 characters after trimming.</param>
    /// <param name="clientMsgId">(ext) The idempotency key (1 to 64 characters); a fresh one unless given.</param>
    /// <param name="cancellationToken">Stops waiting (the message may be stored all the same).</param>
    public Task<DirectMessage> SendMessageAsync(long recipientId, string content, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(content);
        var key = clientMsgId ?? Guid.NewGuid().ToString("N");
        return RequestAsync<DirectMessage>(DirectClientEventTypes.SendMessage, key, w =>
        {
            w.WriteNumber("recipientId", recipientId);
            w.WriteString("content", content);
            w.WriteString("clientMsgId", key);
        }, cancellationToken);
    }

    /// <summary><c>typing</c>: tells <paramref name="recipientId"/>'s sockets that this user is typing; completes once written.</summary>
    public Task TypingAsync(long recipientId, CancellationToken cancellationToken = default) =>
        WriteAsync(DirectClientEventTypes.Typing, w => w.WriteNumber("recipientId", recipientId), cancellationToken);

    /// <summary>
    /// <c>mark_read</c>: marks a received message read (only its recipient may); <see cref="MessageRead"/>
    /// follows on this user's and the sender's sockets, the first time only. Completes once written (there is no
    /// answer of its own); a refusal arrives as <see cref="ErrorReceived"/>.
    /// </summary>
    /// <param name="messageId">The message's <see cref="DirectMessage.Id"/> (a decimal string on this socket).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task MarkReadAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        return WriteAsync(DirectClientEventTypes.MarkRead, w => w.WriteString("messageId", messageId), cancellationToken);
    }

    /// <summary>
    /// <c>fetch_history</c>: completes with the page (oldest first), also raised as <see cref="HistoryReceived"/>;
    /// a refusal (<c>not_found</c> for a conversation of others) fails it with <see cref="ParleyRequestException"/>.
    /// </summary>
    /// <param name="conversationId"><c>conv_{smaller id}_{larger id}</c>; see <see cref="ConversationId"/>.</param>
    /// <param name="before">(ext) Only messages older than this <see cref="DirectMessage.Id"/>: to page back, the oldest id of the previous page.</param>
    /// <param name="limit">(ext) At most this many, the newest of them (1 to 100; the server's default is 50).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task<DirectHistoryPayload> FetchHistoryAsync(string conversationId, string? before = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return RequestAsync<DirectHistoryPayload>(DirectClientEventTypes.FetchHistory, conversationId, w =>
        {
            w.WriteString("conversationId", conversationId);
            if (before is not null)
            {
                w.WriteString("before", before);
            }
            if (limit is { } value)
            {
                w.WriteNumber("limit", value);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// <c>subscribe</c>: completes with <c>subscribed</c> (also raised as <see cref="Subscribed"/>). It only checks
    /// access: every socket of a user receives all of that user's conversations anyway.
    /// </summary>
    public Task<DirectConversationPayload> SubscribeAsync(string conversationId, CancellationToken cancellationToken = default) =>
        SendConversationAsync(DirectClientEventTypes.Subscribe, conversationId, cancellationToken);

    /// <summary><c>unsubscribe</c>: completes with <c>unsubscribed</c> (also <see cref="Unsubscribed"/>); it changes no routing either.</summary>
    public Task<DirectConversationPayload> UnsubscribeAsync(string conversationId, CancellationToken cancellationToken = default) =>
        SendConversationAsync(DirectClientEventTypes.Unsubscribe, conversationId, cancellationToken);

    /// <summary>Sends one raw frame (a UTF-8 JSON object), for requests this type has no method for.</summary>
    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) => _socket.SendAsync(utf8Json, cancellationToken);

    /// <summary>Closes the socket politely.</summary>
    public Task CloseAsync() => _socket.CloseAsync();

    /// <summary>Closes the socket and releases it.</summary>
    public ValueTask DisposeAsync() => _socket.DisposeAsync();

    private Task<DirectConversationPayload> SendConversationAsync(string type, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return RequestAsync<DirectConversationPayload>(type, conversationId, w => w.WriteString("conversationId", conversationId), cancellationToken);
    }

    private void OnFrame(JsonElement frame)
    {
        EventRaiser.Raise(this, FrameReceived, frame, EventHandlerFailed);
        if (frame.ValueKind != JsonValueKind.Object ||
            !frame.TryGetProperty("type", out var typeField) || typeField.ValueKind != JsonValueKind.String)
        {
            return;
        }
        try
        {
            switch (typeField.GetString())
            {
                case DirectServerEventTypes.Connected:
                    _connected.TrySetResult(Payload(frame, Wire.DirectEnvelopeDirectConnectedPayload));
                    break;
                case DirectServerEventTypes.MessageReceived:
                    var message = Payload(frame, Wire.DirectEnvelopeDirectMessage);
                    Raise(MessageReceived, message);
                    Answer(frame, DirectClientEventTypes.SendMessage, message.ClientMsgId, message);
                    break;
                case DirectServerEventTypes.UserTyping:
                    Raise(UserTyping, Payload(frame, Wire.DirectEnvelopeDirectTypingPayload));
                    break;
                case DirectServerEventTypes.MessageRead:
                    Raise(MessageRead, Payload(frame, Wire.DirectEnvelopeDirectReadPayload));
                    break;
                case DirectServerEventTypes.MessageUpdated:
                    Raise(MessageUpdated, Payload(frame, Wire.DirectEnvelopeDirectMessage));
                    break;
                case DirectServerEventTypes.MessageDeleted:
                    Raise(MessageDeleted, Payload(frame, Wire.DirectEnvelopeDirectDeletedPayload));
                    break;
                case DirectServerEventTypes.HistoryResponse:
                    var history = Payload(frame, Wire.DirectEnvelopeDirectHistoryPayload);
                    Raise(HistoryReceived, history);
                    Answer(frame, DirectClientEventTypes.FetchHistory, history.ConversationId, history);
                    break;
                case DirectServerEventTypes.Subscribed:
                    var subscribed = Payload(frame, Wire.DirectEnvelopeDirectConversationPayload);
                    Raise(Subscribed, subscribed);
                    Answer(frame, DirectClientEventTypes.Subscribe, subscribed.ConversationId, subscribed);
                    break;
                case DirectServerEventTypes.Unsubscribed:
                    var unsubscribed = Payload(frame, Wire.DirectEnvelopeDirectConversationPayload);
                    Raise(Unsubscribed, unsubscribed);
                    Answer(frame, DirectClientEventTypes.Unsubscribe, unsubscribed.ConversationId, unsubscribed);
                    break;
                case DirectServerEventTypes.Error:
                    var error = frame.Deserialize(Wire.ErrorEvent) ?? throw new JsonException("Empty error.");
                    Raise(ErrorReceived, error);
                    Refuse(frame, error);
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or InvalidOperationException)
        {
            // A frame the records cannot read (a newer or broken server) still went out raw through FrameReceived.
        }
    }

    private void OnClosed()
    {
        _connected.TrySetException(new ParleyConnectionClosedException(_socket.Closed.Result, _socket.CloseDescription));
        FailRequests();
    }

    private void Raise<T>(EventHandler<T>? handler, T args) => EventRaiser.Raise(this, handler, args, EventHandlerFailed);

    private static T Payload<T>(JsonElement frame, JsonTypeInfo<DirectEnvelope<T>> type) =>
        (frame.Deserialize(type) ?? throw new JsonException("Empty frame.")).Payload ?? throw new JsonException("No payload.");
}
