using Microsoft.Extensions.Options;
using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Server.Chat;
using Parley.Server.Fanout;

namespace Parley.Server.Realtime.Chat;

/// <summary>
/// <c>/ws/chat</c>: channel chat, wire-compatible with the seed system. Parses frames, asks the chat core and
/// answers in the seed's shapes; every rule lives in <see cref="ChatService"/> and <see cref="ChatAccess"/>.
/// </summary>
internal sealed class ChatSocketProtocol(ChatService chat, ChatAccess access, ChannelHub hub, IOptions<RealtimeOptions> options) : ISocketProtocol
{
    private static readonly ChatError NotJoinedHere = new(ErrorCodes.NotJoined, "Join the channel first.");

    public string Name => "chat";

    public void RejectUnauthenticated(SocketConnection connection) => connection.Send(ChatFrames.Unauthenticated);

    public Task OnOpenAsync(SocketConnection connection)
    {
        connection.ProtocolState = new ChatSession(connection, hub, chat, chat.SendsMayOverlap ? options.Value.MaxSendsInFlight : 1);
        connection.Send(ChatFrames.Connected(connection.User!.Id, connection.User.Username));
        return Task.CompletedTask;
    }

    public void OnHandlerFailed(SocketConnection connection, string? requestId) => connection.Send(RequestIds.Stamp(ChatFrames.Internal, requestId));

    public Task OnClosedAsync(SocketConnection connection) =>
        connection.ProtocolState is ChatSession session ? session.LeaveAllAsync() : Task.CompletedTask;

    public Task OnFrameAsync(SocketConnection connection, ReadOnlyMemory<byte> frame) =>
        Dispatcher.DispatchAsync((ChatSession)connection.ProtocolState!, frame, connection.Aborted);

    // Built on first use: a field initializer cannot name the instance handlers.
    private FrameDispatcher<ChatSession> Dispatcher => _dispatcher ??= new(
        "type",
        readsRequestId: true,
        new Dictionary<string, FrameHandler<ChatSession>>
        {
            [ChatClientEventTypes.JoinChannel] = JoinAsync,
            [ChatClientEventTypes.LeaveChannel] = (session, frame, requestId, _) => LeaveAsync(session, frame, requestId),
            [ChatClientEventTypes.SendMessage] = SendAsync,
            [ChatClientEventTypes.Typing] = (session, frame, _, _) => TypingAsync(session, frame, started: true),
            [ChatClientEventTypes.StopTyping] = (session, frame, _, _) => TypingAsync(session, frame, started: false),
            [ChatClientEventTypes.MarkRead] = (session, frame, _, cancellationToken) => MarkReadAsync(session, frame, cancellationToken),
            [ChatClientEventTypes.EditMessage] = (session, frame, _, cancellationToken) => EditAsync(session, frame, cancellationToken),
        },
        ChatFrameErrors.Instance);

    private FrameDispatcher<ChatSession>? _dispatcher;

    private async Task<ChatError?> JoinAsync(ChatSession session, JsonElement frame, string? requestId, CancellationToken cancellationToken)
    {
        if (!FrameFields.TryGetId(frame, "channelId", out var channelId, out var problem) ||
            !FrameFields.TryGetOptionalSeq(frame, "since", out var since, out problem))
        {
            return ChatError.BadRequest(problem!);
        }
        var readable = await access.AuthorizeReadAsync(session.UserId, channelId, cancellationToken);
        if (!readable.IsSuccess)
        {
            return readable.Error;
        }
        await session.JoinAsync(readable.Value!.Channel, since, requestId, cancellationToken);
        return null;
    }

    private static async Task<ChatError?> LeaveAsync(ChatSession session, JsonElement frame, string? requestId)
    {
        if (!FrameFields.TryGetId(frame, "channelId", out var channelId, out var problem))
        {
            return ChatError.BadRequest(problem!);
        }
        await session.LeaveAsync(channelId);
        // Answered also when the socket had not joined: leaving is idempotent.
        session.Connection.Send(RequestIds.Stamp(ChatFrames.Left(channelId), requestId));
        return null;
    }

    private async Task<ChatError?> SendAsync(ChatSession session, JsonElement frame, string? requestId, CancellationToken cancellationToken)
    {
        if (!FrameFields.TryGetId(frame, "channelId", out var channelId, out _) ||
            !FrameFields.TryGetOptionalString(frame, "content", out var content, out _))
        {
            return ChatError.ContentRequired;
        }
        if (!FrameFields.TryGetOptionalString(frame, "messageType", out var messageType, out var problem) ||
            !FrameFields.TryGetOptionalString(frame, "fileUrl", out var fileUrl, out problem) ||
            !FrameFields.TryGetOptionalString(frame, "clientMsgId", out var clientMsgId, out problem))
        {
            return ChatError.BadRequest(problem!);
        }
        if (session.Joined(channelId) is not { } joined)
        {
            return ChatError.NotJoined;
        }
        // The socket's next frames are read while this one commits (up to MaxSendsInFlight); seq and echoes still
        // follow the order of the frames, since each send is handed to the store before the next frame is read.
        await session.WaitForSendSlotAsync();
        ChatResult<StartedSend> started;
        try
        {
            started = await chat.StartSendAsync(session.UserId, session.User.Username, joined.Channel, new SendRequest(content, messageType, fileUrl, clientMsgId,
                requestId is null ? null : new RequestOrigin(session.SocketId, requestId)), cancellationToken);
        }
        catch
        {
            session.ReleaseSendSlot();
            throw;
        }
        if (!started.IsSuccess)
        {
            // Answered like any other refusal: after the echoes of the sends before it.
            session.ReleaseSendSlot();
            return started.Error;
        }
        session.TrackSend(started.Value!.Completion, requestId);
        if (!chat.SendsMayOverlap)
        {
            await started.Value.Completion;
        }
        return null;
    }

    private async Task<ChatError?> TypingAsync(ChatSession session, JsonElement frame, bool started)
    {
        if (!FrameFields.TryGetId(frame, "channelId", out var channelId, out var problem))
        {
            return ChatError.BadRequest(problem!);
        }
        if (session.Joined(channelId) is not { } joined)
        {
            return NotJoinedHere;
        }
        await chat.TypingAsync(session.UserId, session.User.Username, joined.Channel, started);
        return null;
    }

    private async Task<ChatError?> MarkReadAsync(ChatSession session, JsonElement frame, CancellationToken cancellationToken)
    {
        if (!FrameFields.TryGetId(frame, "messageId", out var messageId, out var problem) ||
            !FrameFields.TryGetId(frame, "channelId", out var channelId, out problem))
        {
            return ChatError.BadRequest(problem!);
        }
        if (session.Joined(channelId) is null)
        {
            return NotJoinedHere;
        }
        var result = await chat.MarkReadAsync(session.UserId, messageId, channelId, session.SocketId, cancellationToken);
        return result.Error;
    }

    private async Task<ChatError?> EditAsync(ChatSession session, JsonElement frame, CancellationToken cancellationToken)
    {
        if (!FrameFields.TryGetId(frame, "messageId", out var messageId, out var problem) ||
            !FrameFields.TryGetOptionalString(frame, "content", out var content, out problem))
        {
            return ChatError.BadRequest(problem!);
        }
        // After the socket's sends in flight: their answers come first, in frame order, and an edit of a message
        // this socket has just sent finds it stored.
        await session.AnswersOfPendingSendsAsync();
        // Success is the message_updated every subscriber of the channel gets, this socket included when it joined.
        return (await chat.EditAsync(session.UserId, messageId, content, cancellationToken)).Error;
    }
}
