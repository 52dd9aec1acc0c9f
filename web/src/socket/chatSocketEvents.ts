import type { Clock } from '../clock';
import type { BackoffOptions } from './backoff';
import type { PendingRequest } from './PendingRequests';
import type {
  ChatMessage,
  ConnectedEvent,
  JoinedChannelEvent,
  LeftChannelEvent,
  MessageDeletedEvent,
  MessagePinnedEvent,
  MessageUnpinnedEvent,
  MessageReadEvent,
  MessageType,
  MessageUpdatedEvent,
  NewMessageEvent,
  ReplayTruncatedEvent,
  UserPresenceEvent,
  UserStopTypingEvent,
  UserTypingEvent,
} from './protocol';
import type { WebSocketCtor } from './WebSocketLike';

/**
 * - `connecting`: the first connection is being made.
 * - `open`: connected (channels are being, or have been, rejoined).
 * - `reconnecting`: the connection was lost; waiting for, or making, the next attempt.
 * - `stopped`: not connected and not trying: never started, closed by `close()`,
 *   or closed by the server with 4001 (the session is gone).
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface StateChange {
  state: ConnectionState;
  /** While reconnecting: how long until the next attempt, in ms. */
  retryInMs?: number;
  /** While reconnecting: the number of the next attempt (1, 2, …). */
  attempt?: number;
  /** Close code of the connection that just ended, if any. */
  code?: number;
  /** Close reason of the connection that just ended, if any. */
  reason?: string;
}

/** An `error` event from the server, with the request it refused when that is known. */
export interface ChatError {
  message: string;
  code?: string;
  request?: PendingRequest;
}

/** A send the server stored (or had stored: a repeated clientMsgId is answered with the original); it has left the outbox. */
export interface SendConfirmed {
  clientMsgId: string;
  message: ChatMessage;
}

/** A send the server refused (rate limited, forbidden, …); it has left the outbox. */
export interface SendFailed {
  clientMsgId: string;
  channelId: number;
  message: string;
  code?: string;
}

export interface ChatSocketEvents {
  state: StateChange;
  connected: ConnectedEvent;
  /** The server closed with 4001; the client stopped and will not reconnect. */
  unauthorized: { code: number; reason: string };
  new_message: NewMessageEvent;
  user_typing: UserTypingEvent;
  user_stop_typing: UserStopTypingEvent;
  user_presence: UserPresenceEvent;
  message_read: MessageReadEvent;
  message_deleted: MessageDeletedEvent;
  message_pinned: MessagePinnedEvent;
  message_unpinned: MessageUnpinnedEvent;
  /** (ext) A rejoin skipped older messages; the newest ones follow. The view should page the rest over HTTP. */
  replay_truncated: ReplayTruncatedEvent;
  message_updated: MessageUpdatedEvent;
  joined_channel: JoinedChannelEvent;
  left_channel: LeftChannelEvent;
  error: ChatError;
  /** A send of this client was answered with the stored message (also the original again, for a repeated clientMsgId). */
  sent: SendConfirmed;
  send_failed: SendFailed;
}

export interface SendOptions {
  messageType?: MessageType;
  fileUrl?: string;
  /** Reuse an id to retry a refused send; by default a fresh random id. */
  clientMsgId?: string;
}

export interface ChatSocketClientOptions {
  /** Defaults to `/ws/chat` on the page's origin, ws: or wss: following its scheme. */
  url?: string;
  /** Defaults to the global WebSocket; tests inject a fake. */
  WebSocket?: WebSocketCtor;
  clock?: Clock;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  newClientMsgId?: () => string;
  backoff?: Partial<BackoffOptions>;
  /**
   * Most sends written and not yet answered on one connection (default 16, as in
   * the .NET client); the rest wait in the outbox. Keep it at most the server's
   * `Realtime:MaxSendsInFlight` (32).
   */
  maxSendsInFlight?: number;
}
