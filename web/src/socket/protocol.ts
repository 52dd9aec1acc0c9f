/**
 * Wire types of the channel chat socket `/ws/chat` (PROTOCOL.md section 1).
 * Fields marked (ext) are Parley additions; a seed-compatible server may omit
 * them, so they are optional here and every consumer copes with their absence.
 */

export type MessageType = 'text' | 'file' | 'image';

export interface ChatMessage {
  id: number;
  channelId: number;
  authorId: number;
  authorUsername: string;
  content: string;
  messageType: MessageType;
  fileUrl: string | null;
  readBy: number[];
  createdAt: string;
  /** (ext) Per-channel sequence number: 1, 2, 3, … without gaps. */
  seq?: number;
  /** (ext) The id the sender chose for idempotent resends, or null. */
  clientMsgId?: string | null;
  /** (ext) When the author last edited it (null or absent: never). */
  editedAt?: string | null;
}

export type PresenceStatus = 'online' | 'offline';

export type ErrorCode =
  | 'invalid_json'
  | 'bad_request'
  | 'unknown_type'
  | 'not_found'
  | 'forbidden'
  | 'not_joined'
  | 'rate_limited'
  | 'too_large'
  | 'unauthorized'
  | 'internal';

export interface ConnectedEvent { type: 'connected'; userId: number; username: string }
/**
 * (ext) `requestId` on an answer: the id of the request it answers, copied by the
 * server from the request frame, on the asking socket only (see PendingRequests).
 */
export interface Answer { requestId?: string }

export interface JoinedChannelEvent extends Answer { type: 'joined_channel'; channelId: number; lastSeq?: number }
export interface LeftChannelEvent extends Answer { type: 'left_channel'; channelId: number }
/** The sender's own echo carries the send's `requestId`; other subscribers' copies carry none. */
export interface NewMessageEvent extends Answer { type: 'new_message'; message: ChatMessage; channelId: number }
export interface UserTypingEvent { type: 'user_typing'; userId: number; username: string; channelId: number }
export interface UserStopTypingEvent { type: 'user_stop_typing'; userId: number; username: string; channelId: number }
export interface UserPresenceEvent {
  type: 'user_presence';
  userId: number;
  username: string;
  status: PresenceStatus;
  channelId: number;
}
export interface MessageReadEvent { type: 'message_read'; messageId: number; userId: number; channelId: number }
export interface MessageDeletedEvent { type: 'message_deleted'; messageId: number; channelId: number }
/** (ext) A moderator pinned a message of the channel (`pinnedAt`: ISO time). */
export interface MessagePinnedEvent { type: 'message_pinned'; channelId: number; messageId: number; pinnedBy: number; pinnedAt: string }
/** (ext) A moderator unpinned a message of the channel. */
export interface MessageUnpinnedEvent { type: 'message_unpinned'; channelId: number; messageId: number }
/**
 * (ext) A join with `since` was further behind than the server replays: the
 * messages with `skippedFrom <= seq <= skippedTo` are not replayed (page them
 * over HTTP); the newest ones follow this event.
 */
export interface ReplayTruncatedEvent { type: 'replay_truncated'; channelId: number; skippedFrom: number; skippedTo: number }
/** (ext) An edited message: the whole message with its new content and `editedAt`. */
export interface MessageUpdatedEvent { type: 'message_updated'; message: ChatMessage }
export interface ChatErrorEvent extends Answer {
  type: 'error';
  message: string;
  /** (ext) Missing on a seed-compatible server. */
  code?: ErrorCode | string;
}

export type ServerEvent =
  | ConnectedEvent
  | JoinedChannelEvent
  | LeftChannelEvent
  | NewMessageEvent
  | UserTypingEvent
  | UserStopTypingEvent
  | UserPresenceEvent
  | MessageReadEvent
  | MessageDeletedEvent
  | MessagePinnedEvent
  | MessageUnpinnedEvent
  | ReplayTruncatedEvent
  | MessageUpdatedEvent
  | ChatErrorEvent;

/** A frame the client writes; each also gets a fresh (ext) `requestId` (1..64 characters) when written. */
export type ClientFrame =
  | { type: 'join_channel'; channelId: number; since?: number }
  | { type: 'leave_channel'; channelId: number }
  | {
      type: 'send_message';
      channelId: number;
      content: string;
      messageType: MessageType;
      fileUrl?: string;
      clientMsgId: string;
    }
  | { type: 'typing'; channelId: number }
  | { type: 'stop_typing'; channelId: number }
  | { type: 'mark_read'; messageId: number; channelId: number };

/** Close code after which a client must not reconnect (the session is gone). */
export const CLOSE_UNAUTHORIZED = 4001;

/** Longest clientMsgId the server accepts. */
export const MAX_CLIENT_MSG_ID_LENGTH = 64;

/** Longest message content the server accepts (after trimming). */
export const MAX_CONTENT_LENGTH = 4000;
