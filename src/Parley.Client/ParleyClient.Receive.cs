using System.Text.Json;
using Parley.Client.Internal;
using Parley.Protocol.Chat;
using Parley.Protocol.Json;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    private static readonly ProtocolJsonContext Wire = ProtocolJsonContext.Default;

    /// <summary>
    /// Handles one server frame: settles the request in flight, updates the per-channel seq, raises the event.
    /// Frames the client cannot read (unknown types, malformed JSON) are skipped: new event types are how the
    /// protocol grows.
    /// </summary>
    private void Dispatch(SocketSession session, ReadOnlyMemory<byte> frame)
    {
        try
        {
            switch (ChatEventReader.TypeOf(frame))
            {
                case ChatServerEventTypes.Connected:
                    OnConnected(Read(frame, Wire.ConnectedEvent));
                    break;
                case ChatServerEventTypes.JoinedChannel:
                    OnJoined(session, Read(frame, Wire.JoinedChannelEvent));
                    break;
                case ChatServerEventTypes.LeftChannel:
                    OnLeft(Read(frame, Wire.LeftChannelEvent));
                    break;
                case ChatServerEventTypes.NewMessage:
                    OnNewMessage(Read(frame, Wire.NewMessageEvent));
                    break;
                case ChatServerEventTypes.Error:
                    OnError(Read(frame, Wire.ErrorEvent));
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

    private void OnJoined(SocketSession session, JoinedChannelEvent joined)
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
            if (_inFlight is { Kind: RequestKind.Join } request && request.ChannelId == joined.ChannelId)
            {
                if (channel?.Join == request)
                {
                    channel.Join = null;
                }
                AnswerLocked(request, AttemptOutcome.Answered);
                request.Completion.TrySetResult(joined);
            }
        }
        Raise(JoinedChannel, joined);
    }

    private void OnLeft(LeftChannelEvent left)
    {
        List<PendingRequest> dropped = [];
        lock (_gate)
        {
            if (_inFlight is { Kind: RequestKind.Leave } request && request.ChannelId == left.ChannelId)
            {
                AnswerLocked(request, AttemptOutcome.Answered);
                request.Completion.TrySetResult(null);
            }
            else if (_channels.Remove(left.ChannelId))
            {
                // Not asked for: the server removed this user (for example from the workspace).
                dropped = [.. _outbox.Where(r => r.ChannelId == left.ChannelId && r != _inFlight && r.Kind != RequestKind.Leave)];
                foreach (var pending in dropped)
                {
                    _outbox.Remove(pending);
                    if (pending.ClientMsgId is { } clientMsgId)
                    {
                        _pendingSends.Remove(clientMsgId);
                    }
                }
            }
        }
        var removed = new InvalidOperationException($"The server removed this user from channel {left.ChannelId}.");
        foreach (var pending in dropped)
        {
            pending.Completion.TrySetException(removed);
        }
        Raise(LeftChannel, left);
    }

    private void OnNewMessage(NewMessageEvent received)
    {
        var message = received.Message;
        var deliver = false;
        lock (_gate)
        {
            // The echo of one of this client's sends, live or replayed after a reconnect.
            if (message.ClientMsgId is { } clientMsgId && message.AuthorId == _userId &&
                _pendingSends.TryGetValue(clientMsgId, out var send) && send.ChannelId == message.ChannelId)
            {
                AnswerLocked(send, AttemptOutcome.Answered);
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

    private void OnError(ErrorEvent error)
    {
        List<PendingRequest> dropped = [];
        PendingRequest? failed = null;
        lock (_gate)
        {
            if (_inFlight is { } request)
            {
                if (request.Kind == RequestKind.Send && IsRetryable(error.Code))
                {
                    AnswerLocked(request, AttemptOutcome.RetryLater);
                }
                else
                {
                    AnswerLocked(request, AttemptOutcome.Answered);
                    failed = request;
                    if (request.Kind == RequestKind.Join && _channels.TryGetValue(request.ChannelId, out var channel) &&
                        (channel.Join == request || request.IsRejoin))
                    {
                        // Refused (the channel is gone, or access was revoked): stop being in it.
                        _channels.Remove(request.ChannelId);
                        dropped = [.. _outbox.Where(r => r.ChannelId == request.ChannelId && r.Kind == RequestKind.Send)];
                        foreach (var pending in dropped)
                        {
                            _outbox.Remove(pending);
                            _pendingSends.Remove(pending.ClientMsgId!);
                        }
                    }
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
