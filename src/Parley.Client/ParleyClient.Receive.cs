using System.Text.Json;
using Parley.Client.Internal;
using Parley.Protocol.Chat;
using Parley.Protocol.Json;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    private static readonly ProtocolJsonContext Wire = ProtocolJsonContext.Default;

    /// <summary>
    /// Handles one server frame: settles the request it answers, updates the per-channel seq, raises the event.
    /// Frames the client cannot read (unknown types, malformed JSON) are skipped: new event types are how the
    /// protocol grows.
    /// </summary>
    private void Dispatch(SocketSession session, ReadOnlyMemory<byte> frame)
    {
        if (FrameReceived is not null)
        {
            RaiseRaw(frame);
        }
        try
        {
            var (type, requestId) = ChatEventReader.Read(frame);
            switch (type)
            {
                case ChatServerEventTypes.Connected:
                    OnConnected(Read(frame, Wire.ConnectedEvent));
                    break;
                case ChatServerEventTypes.JoinedChannel:
                    OnJoined(session, Read(frame, Wire.JoinedChannelEvent), requestId);
                    break;
                case ChatServerEventTypes.LeftChannel:
                    OnLeft(Read(frame, Wire.LeftChannelEvent), requestId);
                    break;
                case ChatServerEventTypes.NewMessage:
                    OnNewMessage(Read(frame, Wire.NewMessageEvent), requestId);
                    break;
                case ChatServerEventTypes.Error:
                    OnError(Read(frame, Wire.ErrorEvent), requestId);
                    break;
                case ChatServerEventTypes.UserTyping:
                    Raise(UserTyping, Read(frame, Wire.UserTypingEvent));
                    break;
                case ChatServerEventTypes.UserStopTyping:
                    Raise(UserStoppedTyping, Read(frame, Wire.UserTypingEvent));
                    break;
                case ChatServerEventTypes.UserPresence:
                    Raise(PresenceChanged, Read(frame, Wire.UserPresenceEvent));
                    break;
                case ChatServerEventTypes.MessageRead:
                    Raise(MessageRead, Read(frame, Wire.MessageReadEvent));
                    break;
                case ChatServerEventTypes.MessageDeleted:
                    Raise(MessageDeleted, Read(frame, Wire.MessageDeletedEvent));
                    break;
                case ChatServerEventTypes.MessagePinned:
                    Raise(MessagePinned, Read(frame, Wire.MessagePinnedEvent));
                    break;
                case ChatServerEventTypes.MessageUnpinned:
                    Raise(MessageUnpinned, Read(frame, Wire.MessageUnpinnedEvent));
                    break;
                case ChatServerEventTypes.MessageUpdated:
                    // Not the answer to a request: edits go over HTTP (EditMessageAsync), so nothing in flight waits for it.
                    Raise(MessageUpdated, Read(frame, Wire.MessageUpdatedEvent));
                    break;
                case ChatServerEventTypes.ReplayTruncated:
                    OnReplayTruncated(Read(frame, Wire.ReplayTruncatedEvent));
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
        }
    }

    private void RaiseRaw(ReadOnlyMemory<byte> frame)
    {
        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(frame);
            element = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }
        Raise(FrameReceived, element);
    }

    private static T Read<T>(ReadOnlyMemory<byte> frame, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(frame.Span, type) ?? throw new JsonException("Empty frame.");

    private void OnConnected(ConnectedEvent connected)
    {
        lock (_gate)
        {
            _userId = connected.UserId;
            _username = connected.Username;
        }
        Raise(Connected, connected);
    }

    private void OnJoined(SocketSession session, JoinedChannelEvent joined, string? requestId)
    {
        lock (_gate)
        {
            if (_channels.TryGetValue(joined.ChannelId, out var channel))
            {
                channel.Joined = joined;
                channel.JoinedOn = session;
                // A first join without since starts at the channel's newest seq; a rejoin keeps its own mark.
                channel.LastSeq ??= joined.LastSeq;
            }
            if (AnsweredLocked(requestId, r => r.Kind == RequestKind.Join && r.ChannelId == joined.ChannelId) is { } request)
            {
                if (channel?.Join == request)
                {
                    channel.Join = null;
                }
                AnswerLocked(request);
                request.Completion.TrySetResult(joined);
            }
            // The sends that waited for this join may go out now.
            _outboxChanged.TrySetResult();
        }
        Raise(JoinedChannel, joined);
    }

    private void OnLeft(LeftChannelEvent left, string? requestId)
    {
        List<PendingRequest> dropped = [];
        lock (_gate)
        {
            if (AnsweredLocked(requestId, r => r.Kind == RequestKind.Leave && r.ChannelId == left.ChannelId) is { } request)
            {
                AnswerLocked(request);
                request.Completion.TrySetResult(null);
            }
            else if (requestId is null && _channels.Remove(left.ChannelId))
            {
                // Not asked for: the server removed this user (for example from the workspace).
                // Those already written get their answer all the same.
                dropped = [.. _outbox.Where(r => r.ChannelId == left.ChannelId && r.WrittenOn is null && r.Kind != RequestKind.Leave)];
                RemoveLocked(dropped);
            }
        }
        var removed = new InvalidOperationException($"The server removed this user from channel {left.ChannelId}.");
        foreach (var pending in dropped)
        {
            pending.Completion.TrySetException(removed);
        }
        Raise(LeftChannel, left);
    }

    private void OnNewMessage(NewMessageEvent received, string? requestId)
    {
        var message = received.Message;
        var deliver = false;
        lock (_gate)
        {
            // The echo of one of this client's sends: by its requestId, else (replayed after a reconnect, or a server
            // without request ids) by its clientMsgId.
            var send = requestId is null ? null : AnsweredLocked(requestId, r => r.Kind == RequestKind.Send && r.ChannelId == message.ChannelId);
            if (send is null && message.ClientMsgId is { } clientMsgId && message.AuthorId == _userId &&
                _pendingSends.TryGetValue(clientMsgId, out var pending) && pending.ChannelId == message.ChannelId)
            {
                send = pending;
            }
            if (send is not null)
            {
                AnswerLocked(send);
                send.Completion.TrySetResult(message);
            }
            if (_channels.TryGetValue(message.ChannelId, out var channel) && (channel.LastSeq is not { } last || message.Seq > last))
            {
                channel.LastSeq = message.Seq;
                deliver = true;
            }
        }
        if (deliver)
        {
            Raise(MessageReceived, received);
        }
    }

    private void OnReplayTruncated(ReplayTruncatedEvent truncated)
    {
        lock (_gate)
        {
            // What was skipped is paged over HTTP, not asked for again by the next rejoin.
            if (_channels.TryGetValue(truncated.ChannelId, out var channel) && (channel.LastSeq is not { } last || truncated.SkippedTo > last))
            {
                channel.LastSeq = truncated.SkippedTo;
            }
        }
        Raise(ReplayTruncated, truncated);
    }

    private void OnError(ErrorEvent error, string? requestId)
    {
        List<PendingRequest> dropped = [];
        PendingRequest? failed = null;
        lock (_gate)
        {
            if (AnswersARequest(error.Code) && AnsweredLocked(requestId, static _ => true) is { } request)
            {
                // rate_limited too: the send fails, and is not tried again by itself (a retry would reorder the
                // sends pipelined behind it); the caller decides.
                AnswerLocked(request);
                failed = request;
                if (request.Kind == RequestKind.Join && _channels.TryGetValue(request.ChannelId, out var channel) &&
                    (channel.Join == request || request.IsRejoin))
                {
                    // Refused (the channel is gone, or access was revoked): stop being in it.
                    _channels.Remove(request.ChannelId);
                    dropped = [.. _outbox.Where(r => r.ChannelId == request.ChannelId && r.Kind == RequestKind.Send)];
                    RemoveLocked(dropped);
                }
            }
        }
        if (failed is not null)
        {
            var exception = new ParleyRequestException(error);
            if (failed.IsRejoin)
            {
                failed.Completion.TrySetResult(null);
            }
            else
            {
                failed.Completion.TrySetException(exception);
            }
            foreach (var pending in dropped)
            {
                pending.Completion.TrySetException(exception);
            }
        }
        Raise(ErrorReceived, error);
    }
}
