using Microsoft.Extensions.Options;
using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Server.Chat;

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

    public void OnHandlerFailed(SocketConnection connection) => connection.Send(ChatFrames.Internal);

    public Task OnClosedAsync(SocketConnection connection) =>
        connection.ProtocolState is ChatSession session ? session.LeaveAllAsync() : Task.CompletedTask;

    public async Task OnFrameAsync(SocketConnection connection, ReadOnlyMemory<byte> frame)
    {
        var session = (ChatSession)connection.ProtocolState!;
        // The store calls of a frame end when the socket is aborted: nobody is left to answer.
        var cancellationToken = connection.Aborted;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, FrameFields.ParseOptions);
        }
        catch (JsonException)
        {
            connection.Send(ChatFrames.InvalidJson);
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            var type = FrameFields.Type(root);
            var error = type switch
            {
                null => ChatError.BadRequest("type is required."),
                ChatClientEventTypes.JoinChannel => await JoinAsync(session, root, cancellationToken),
                ChatClientEventTypes.LeaveChannel => await LeaveAsync(session, root),
                ChatClientEventTypes.SendMessage => await SendAsync(session, root, cancellationToken),
                ChatClientEventTypes.Typing => await TypingAsync(session, root, started: true),
                ChatClientEventTypes.StopTyping => await TypingAsync(session, root, started: false),
                ChatClientEventTypes.MarkRead => await MarkReadAsync(session, root, cancellationToken),
                ChatClientEventTypes.EditMessage => await EditAsync(session, root, cancellationToken),
                _ => new ChatError(ErrorCodes.UnknownType, $"Unknown message type: {Truncate(type)}"),
            };
            if (error is not null)
            {
                connection.Send(ChatFrames.Error(error));
            }
        }
    }

    private async Task<ChatError?> JoinAsync(ChatSession session, JsonElement frame, CancellationToken cancellationToken)
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
        await session.JoinAsync(readable.Value!.Channel, since, cancellationToken);
        return null;
    }

    private static async Task<ChatError?> LeaveAsync(ChatSession session, JsonElement frame)
    {
        if (!FrameFields.TryGetId(frame, "channelId", out var channelId, out var problem))
        {
            return ChatError.BadRequest(problem!);
        }
        await session.LeaveAsync(channelId);
        // Answered also when the socket had not joined: leaving is idempotent.
        session.Connection.Send(ChatFrames.Left(channelId));
        return null;
    }

    private async Task<ChatError?> SendAsync(ChatSession session, JsonElement frame, CancellationToken cancellationToken)
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
            started = await chat.StartSendAsync(session.UserId, session.User.Username, joined.Channel, new SendRequest(content, messageType, fileUrl, clientMsgId), cancellationToken);
        }
        catch
        {
            session.ReleaseSendSlot();
            throw;
        }
        if (!started.IsSuccess)
        {
            session.TrackSend(Task.FromResult<ChatResult<SentMessage>>(started.Error!));
            return null;
        }
        session.TrackSend(started.Value!.Completion);
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

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
