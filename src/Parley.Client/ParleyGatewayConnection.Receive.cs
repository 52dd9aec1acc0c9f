using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Internal;
using Parley.Protocol.Gateway;

namespace Parley.Client;

// Reading the server's frames: ops (HELLO, HEARTBEAT_ACK, INVALID_SESSION) and dispatches into events.
public sealed partial class ParleyGatewayConnection
{
    private void OnFrame(JsonElement frame)
    {
        EventRaiser.Raise(this, FrameReceived, frame, EventHandlerFailed);
        if (frame.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (frame.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String)
        {
            OnDispatch(new ParleyGatewayDispatch(
                t.GetString()!,
                frame.TryGetProperty("s", out var s) && s.TryGetInt64(out var sequence) ? sequence : 0,
                frame.TryGetProperty("d", out var d) ? d : default));
        }
        else if (frame.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.String)
        {
            OnOp(op.GetString()!, frame);
        }
    }

    private void OnDispatch(ParleyGatewayDispatch dispatch)
    {
        if (dispatch.S > 0)
        {
            // The server numbers a session's dispatches in order (READY is 1 again after a new IDENTIFY).
            Interlocked.Exchange(ref _lastSequence, dispatch.S);
        }
        if (dispatch.T == GatewayEvents.Ready)
        {
            OnReady(dispatch.D);
        }
        Raise(DispatchReceived, dispatch);
        try
        {
            switch (dispatch.T)
            {
                case GatewayEvents.MessageCreate:
                    Raise(MessageCreated, Read(dispatch.D, Wire.ChatMessage));
                    break;
                case GatewayEvents.MessageUpdate:
                    Raise(MessageUpdated, Read(dispatch.D, Wire.ChatMessage));
                    break;
                case GatewayEvents.MessageDelete:
                    Raise(MessageDeleted, Read(dispatch.D, Wire.GatewayMessageDelete));
                    break;
                case GatewayEvents.ChannelCreate:
                    Raise(ChannelCreated, Read(dispatch.D, Wire.GatewayChannel));
                    break;
                case GatewayEvents.GuildCreate:
                    Raise(GuildCreated, Read(dispatch.D, Wire.GatewayGuild));
                    break;
                case GatewayEvents.GuildDelete:
                    Raise(GuildDeleted, Read(dispatch.D, Wire.GatewayGuildDelete));
                    break;
                case GatewayEvents.GuildMemberAdd:
                    Raise(GuildMemberAdded, Read(dispatch.D, Wire.GatewayGuildMember));
                    break;
                case GatewayEvents.GuildMemberRemove:
                    Raise(GuildMemberRemoved, Read(dispatch.D, Wire.GatewayGuildMember));
                    break;
                case GatewayEvents.PresenceUpdate:
                    Raise(PresenceUpdated, Read(dispatch.D, Wire.GatewayPresence));
                    break;
            }
        }
        catch (Exception ex) when (IsDecodeError(ex))
        {
            // A dispatch the records cannot read (a newer or broken server) still went out raw.
        }
    }

    private void OnReady(JsonElement data)
    {
        TaskCompletionSource<GatewayReady>? pending;
        lock (_gate)
        {
            pending = _pendingReady;
            _pendingReady = null;
        }
        try
        {
            var ready = Read(data, Wire.GatewayReady);
            Volatile.Write(ref _ready, ready);
            Volatile.Write(ref _sessionId, ready.SessionId);
            pending?.TrySetResult(ready);
        }
        catch (Exception ex) when (IsDecodeError(ex))
        {
            pending?.TrySetException(ex);
        }
    }

    private void OnOp(string op, JsonElement frame)
    {
        switch (op)
        {
            case GatewayOps.Hello:
                try
                {
                    if (frame.Deserialize(Wire.GatewayHello)?.D is { HeartbeatInterval: > 0 } hello)
                    {
                        _hello.TrySetResult(TimeSpan.FromMilliseconds(hello.HeartbeatInterval));
                    }
                }
                catch (Exception ex) when (IsDecodeError(ex))
                {
                    // Without an interval there is nothing to keep time by; the server's 4009 will say so.
                }
                break;
            case GatewayOps.HeartbeatAck:
                EventRaiser.Raise(this, HeartbeatAcknowledged, EventHandlerFailed);
                break;
            case GatewayOps.InvalidSession:
                StopHeartbeats();
                Volatile.Write(ref _sessionId, null);
                Interlocked.Exchange(ref _lastSequence, 0);
                EventRaiser.Raise(this, InvalidSession, EventHandlerFailed);
                break;
        }
    }

    private void OnClosed()
    {
        TaskCompletionSource<GatewayReady>? pending;
        lock (_gate)
        {
            _closed = true;
            _heartbeats?.Cancel();
            _heartbeats = null;
            pending = _pendingReady;
            _pendingReady = null;
        }
        _hello.TrySetCanceled(CancellationToken.None);
        pending?.TrySetException(new ParleyConnectionClosedException(_socket.Closed.Result, _socket.CloseDescription));
    }

    private void Raise<T>(EventHandler<T>? handler, T args) => EventRaiser.Raise(this, handler, args, EventHandlerFailed);

    private static T Read<T>(JsonElement data, JsonTypeInfo<T> type) => data.Deserialize(type) ?? throw new JsonException("Empty data.");

    private static bool IsDecodeError(Exception ex) => ex is JsonException or NotSupportedException or FormatException or InvalidOperationException;
}
