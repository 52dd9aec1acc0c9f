using Parley.Protocol.Direct;
using Parley.Server.Chat;
using Parley.Server.Workspaces;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// <c>/messagepal</c> (also <c>/message</c>): direct messages, wire-compatible with the seed system's MessagePal.
/// A conversation is the DM channel of its two users, so every rule (validation, rate limit, idempotency,
/// persist-then-publish, read receipts) is the chat core's; this adapter only parses, checks that the caller is
/// a participant, and answers in MessagePal's <c>{type, payload, timestamp}</c> shape.
/// </summary>
internal sealed partial class DirectSocketProtocol(
    ChatService chat,
    WorkspaceService workspaces,
    ChatQueries queries,
    UserProfileCache profiles,
    TimeProvider time,
    ILogger<DirectSocketProtocol> logger) : ISocketProtocol
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public string Name => "messagepal";

    public void RejectUnauthenticated(SocketConnection connection) => connection.Send(DirectFrames.Unauthenticated);

    public Task OnOpenAsync(SocketConnection connection)
    {
        var user = connection.User!;
        connection.ProtocolState = new DirectSession(connection, workspaces, queries);
        connection.Send(DirectFrames.Connected(user.Id, user.Username, user.Role, Now));
        return Task.CompletedTask;
    }

    public void OnHandlerFailed(SocketConnection connection, string? requestId) => connection.Send(RequestIds.Stamp(DirectFrames.Internal, requestId));

    public Task OnClosedAsync(SocketConnection connection) => Task.CompletedTask;

    public Task OnFrameAsync(SocketConnection connection, ReadOnlyMemory<byte> frame) =>
        Dispatcher.DispatchAsync((DirectSession)connection.ProtocolState!, frame, connection.Aborted);

    // Built on first use: a field initializer cannot name the instance handlers.
    private FrameDispatcher<DirectSession> Dispatcher => _dispatcher ??= new(
        "type",
        readsRequestId: true,
        new Dictionary<string, FrameHandler<DirectSession>>
        {
            [DirectClientEventTypes.SendMessage] = SendAsync,
            [DirectClientEventTypes.Typing] = (session, frame, _, cancellationToken) => TypingAsync(session, frame, cancellationToken),
            [DirectClientEventTypes.MarkRead] = (session, frame, _, cancellationToken) => MarkReadAsync(session, frame, cancellationToken),
            [DirectClientEventTypes.FetchHistory] = FetchHistoryAsync,
            [DirectClientEventTypes.Subscribe] = (session, frame, requestId, cancellationToken) =>
                SubscriptionAsync(session, frame, DirectServerEventTypes.Subscribed, requestId, cancellationToken),
            [DirectClientEventTypes.Unsubscribe] = (session, frame, requestId, cancellationToken) =>
                SubscriptionAsync(session, frame, DirectServerEventTypes.Unsubscribed, requestId, cancellationToken),
        },
        new DirectFrameErrors(logger));

    private FrameDispatcher<DirectSession>? _dispatcher;

    /// <summary>
    /// The other user of a conversation the caller takes part in; null for a malformed id, a conversation of
    /// others, or a partner who does not exist, which all answer alike so that existence is not revealed.
    /// </summary>
    private async Task<(string Id, long PartnerId)?> ResolveConversationAsync(DirectSession session, string conversationId, CancellationToken cancellationToken)
    {
        if (!ConversationIds.TryParse(conversationId, out var low, out var high))
        {
            return null;
        }
        var userId = session.User.Id;
        if (userId != low && userId != high)
        {
            return null;
        }
        var partnerId = userId == low ? high : low;
        return await profiles.GetAsync(partnerId, cancellationToken) is null ? null : (conversationId, partnerId);
    }
}
