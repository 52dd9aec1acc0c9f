using System.Text.Json;
using Parley.Protocol;
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

    public void OnHandlerFailed(SocketConnection connection) => connection.Send(DirectFrames.Internal);

    public Task OnClosedAsync(SocketConnection connection) => Task.CompletedTask;

    public async Task OnFrameAsync(SocketConnection connection, ReadOnlyMemory<byte> frame)
    {
        var session = (DirectSession)connection.ProtocolState!;
        // The store calls of a frame end when the socket is aborted: nobody is left to answer.
        var cancellationToken = connection.Aborted;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, FrameFields.ParseOptions);
        }
        catch (JsonException)
        {
            DirectLog.InvalidFrame(logger, connection.Id);
            connection.Send(DirectFrames.InvalidFormat);
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (FrameFields.Type(root) is not { } type)
            {
                connection.Send(DirectFrames.NotAnEvent);
                return;
            }
            var error = type switch
            {
                DirectClientEventTypes.SendMessage => await SendAsync(session, root, cancellationToken),
                DirectClientEventTypes.Typing => await TypingAsync(session, root, cancellationToken),
                DirectClientEventTypes.MarkRead => await MarkReadAsync(session, root, cancellationToken),
                DirectClientEventTypes.FetchHistory => await FetchHistoryAsync(session, root, cancellationToken),
                DirectClientEventTypes.Subscribe => await SubscriptionAsync(session, root, DirectServerEventTypes.Subscribed, cancellationToken),
                DirectClientEventTypes.Unsubscribe => await SubscriptionAsync(session, root, DirectServerEventTypes.Unsubscribed, cancellationToken),
                _ => UnknownType(connection, type),
            };
            if (error is not null)
            {
                connection.Send(DirectFrames.Error(error));
            }
        }
    }

    private ChatError UnknownType(SocketConnection connection, string type)
    {
        var shown = type.Length <= 64 ? type : type[..64] + "…";
        DirectLog.UnknownType(logger, connection.Id, shown);
        return new ChatError(ErrorCodes.UnknownType, $"Unknown message type: {shown}");
    }

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
