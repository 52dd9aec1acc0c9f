import { systemClock, type Clock, type TimerHandle } from '../clock';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff';
import { newClientMsgId } from './clientMsgId';
import { Emitter, type Listener } from './Emitter';
import { MessageCursor } from './MessageCursor';
import { Outbox, type OutboxEntry } from './Outbox';
import { PendingRequests, type PendingRequest } from './PendingRequests';
import {
  CLOSE_UNAUTHORIZED,
  MAX_CLIENT_MSG_ID_LENGTH,
  type ChatErrorEvent,
  type ClientFrame,
  type ConnectedEvent,
  type JoinedChannelEvent,
  type LeftChannelEvent,
  type MessageDeletedEvent,
  type MessageUpdatedEvent,
  type MessageReadEvent,
  type MessageType,
  type NewMessageEvent,
  type ReplayTruncatedEvent,
  type ServerEvent,
  type UserPresenceEvent,
  type UserStopTypingEvent,
  type UserTypingEvent,
} from './protocol';
import { chatSocketUrl, SOCKET_OPEN, type WebSocketCtor, type WebSocketLike } from './WebSocketLike';

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
  /** (ext) A rejoin skipped older messages; the newest ones follow. The view should page the rest over HTTP. */
  replay_truncated: ReplayTruncatedEvent;
  message_updated: MessageUpdatedEvent;
  joined_channel: JoinedChannelEvent;
  left_channel: LeftChannelEvent;
  error: ChatError;
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
}

interface ChannelEntry {
  /** False after leave() while sends to the channel are still unconfirmed. */
  wanted: boolean;
  /** join_channel was written on the current connection. */
  joinSent: boolean;
  /** joined_channel was received on the current connection. */
  joined: boolean;
}

/** Error codes that answer a join, leave or send (see PendingRequests). */
const REQUEST_ERROR_CODES = new Set([
  'bad_request',
  'not_found',
  'forbidden',
  'not_joined',
  'rate_limited',
  'too_large',
  'internal',
]);

/**
 * The client of the channel chat socket `/ws/chat` (PROTOCOL.md section 1).
 *
 * Guarantees to its user:
 * - a lost connection is retried with exponential backoff (1 s doubling to 30 s,
 *   with jitter), except after close code 4001, which stops it for good;
 * - after a reconnect every joined channel is rejoined with `since` = the last seq
 *   seen there, so the server replays what was missed;
 * - each `new_message` is emitted once, however often the server delivers it;
 * - a send is never lost to a disconnect: it waits in the outbox and is written
 *   (once per connection, same clientMsgId, so the server stores it once) until
 *   its echo arrives or the server refuses it.
 *
 * Call `connect()` after subscribing to events.
 */
export class ChatSocketClient {
  private readonly events = new Emitter<ChatSocketEvents>();
  private readonly outbox = new Outbox();
  private readonly cursor = new MessageCursor();
  private readonly requests = new PendingRequests();
  private readonly channels = new Map<number, ChannelEntry>();
  /** mark_read calls made while the channel was not joined, per channel. */
  private readonly pendingReads = new Map<number, Set<number>>();

  private readonly url: string | undefined;
  private readonly WebSocketImpl: WebSocketCtor | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly backoff: BackoffOptions;

  private socket: WebSocketLike | null = null;
  /** Incremented per socket; lets an outbox entry know if it was written on this one. */
  private connection = 0;
  private attempt = 0;
  private reconnectTimer: TimerHandle | null = null;
  private running = false;
  private currentState: ConnectionState = 'stopped';
  private me: ConnectedEvent | null = null;

  constructor(options: ChatSocketClientOptions = {}) {
    this.url = options.url;
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.newId = options.newClientMsgId ?? newClientMsgId;
    this.backoff = { ...defaultBackoff, ...options.backoff };
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The user the server authenticated, once `connected` has arrived. */
  get user(): ConnectedEvent | null {
    return this.me;
  }

  /** Sends not yet confirmed by the server, oldest first. */
  get pendingSends(): readonly OutboxEntry[] {
    return this.outbox.all();
  }

  on<K extends keyof ChatSocketEvents>(type: K, listener: Listener<ChatSocketEvents[K]>): () => void {
    return this.events.on(type, listener);
  }

  off<K extends keyof ChatSocketEvents>(type: K, listener: Listener<ChatSocketEvents[K]>): void {
    this.events.off(type, listener);
  }

  connect(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.setState({ state: 'connecting' });
    this.openSocket();
  }

  /** Skips the rest of the current backoff wait (e.g. when the browser comes back online). */
  reconnectNow(): void {
    if (!this.running || this.reconnectTimer === null) return;
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.openSocket();
  }

  /** Stops for good: closes the socket and never reconnects. */
  close(): void {
    this.running = false;
    if (this.reconnectTimer !== null) this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'Client closed');
    this.setState({ state: 'stopped' });
  }

  /**
   * Subscribes to a channel, now or as soon as connected, and again after every
   * reconnect. `since` (the seq of the newest message the caller already has,
   * e.g. from loaded history) makes the server replay anything newer.
   */
  join(channelId: number, options: { since?: number } = {}): void {
    const existing = this.channels.get(channelId);
    if (existing) {
      // Already subscribed (or lingering after leave()): our cursor is current.
      existing.wanted = true;
      return;
    }
    if (options.since !== undefined) this.cursor.set(channelId, options.since);
    const entry: ChannelEntry = { wanted: true, joinSent: false, joined: false };
    this.channels.set(channelId, entry);
    if (this.isOpen()) this.writeJoin(channelId, entry);
  }

  /**
   * Unsubscribes. If sends to the channel are still unconfirmed the channel stays
   * subscribed until they are, so that leaving never drops a message.
   */
  leave(channelId: number): void {
    const entry = this.channels.get(channelId);
    if (!entry) return;
    entry.wanted = false;
    this.finishLeaveIfIdle(channelId);
  }

  /**
   * Queues a message and returns its clientMsgId. It is written now if the channel
   * is joined, else after the (re)join; it stays queued until its echo arrives.
   * Joins the channel if needed.
   */
  send(channelId: number, content: string, options: SendOptions = {}): string {
    const clientMsgId = options.clientMsgId ?? this.newId();
    if (clientMsgId.length === 0 || clientMsgId.length > MAX_CLIENT_MSG_ID_LENGTH) {
      throw new RangeError(`clientMsgId must be 1..${MAX_CLIENT_MSG_ID_LENGTH} characters`);
    }
    if (this.outbox.has(clientMsgId)) return clientMsgId;
    if (!this.channels.get(channelId)?.wanted) this.join(channelId);

    const entry: OutboxEntry = {
      clientMsgId,
      channelId,
      content,
      messageType: options.messageType ?? 'text',
      fileUrl: options.fileUrl,
      sentOnConnection: null,
    };
    this.outbox.add(entry);
    if (this.isJoined(channelId)) this.writeSend(entry);
    return clientMsgId;
  }

  /** Typing signals are ephemeral: dropped, not queued, while not joined. */
  typing(channelId: number): void {
    if (this.isJoined(channelId)) this.write({ type: 'typing', channelId });
  }

  stopTyping(channelId: number): void {
    if (this.isJoined(channelId)) this.write({ type: 'stop_typing', channelId });
  }

  /** Read receipts are durable, so one made while disconnected is sent after the rejoin. */
  markRead(channelId: number, messageId: number): void {
    if (this.isJoined(channelId)) {
      this.write({ type: 'mark_read', messageId, channelId });
      return;
    }
    if (!this.channels.has(channelId)) return;
    let reads = this.pendingReads.get(channelId);
    if (!reads) {
      reads = new Set();
      this.pendingReads.set(channelId, reads);
    }
    reads.add(messageId);
  }

  // ---- connection lifecycle ----

  private openSocket(): void {
    this.connection += 1;
    this.requests.clear();
    for (const entry of this.channels.values()) {
      entry.joinSent = false;
      entry.joined = false;
    }

    let socket: WebSocketLike;
    try {
      socket = this.createSocket();
    } catch (error) {
      // E.g. a malformed URL: count it as a failed attempt rather than throwing
      // out of a timer callback.
      this.scheduleReconnect(1006, error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    // Every handler checks it still belongs to the current socket: a late event
    // from a replaced or closed socket must not touch the new connection's state.
    socket.onopen = () => {
      if (this.socket === socket) this.handleOpen();
    };
    socket.onmessage = (event) => {
      if (this.socket === socket && typeof event.data === 'string') this.handleFrame(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.handleClose(event.code, event.reason);
    };
    // A close event always follows an error event; reconnecting is handled there.
    socket.onerror = () => {};
  }

  private createSocket(): WebSocketLike {
    if (!this.WebSocketImpl) throw new Error('No WebSocket implementation available');
    const url = this.url ?? chatSocketUrl(globalThis.location);
    return new this.WebSocketImpl(url);
  }

  private handleOpen(): void {
    this.setState({ state: 'open' });
    for (const [channelId, entry] of this.channels) this.writeJoin(channelId, entry);
  }

  private handleClose(code: number, reason: string): void {
    this.socket = null;
    this.requests.clear();
    for (const entry of this.channels.values()) {
      entry.joinSent = false;
      entry.joined = false;
    }
    if (!this.running) return;

    if (code === CLOSE_UNAUTHORIZED) {
      // The session is gone; retrying would only be refused again.
      this.running = false;
      this.setState({ state: 'stopped', code, reason });
      this.events.emit('unauthorized', { code, reason });
      return;
    }
    this.scheduleReconnect(code, reason);
  }

  private scheduleReconnect(code: number, reason: string): void {
    this.socket = null;
    const delay = backoffDelay(this.attempt, this.random, this.backoff);
    this.attempt += 1;
    this.setState({ state: 'reconnecting', retryInMs: delay, attempt: this.attempt, code, reason });
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) this.openSocket();
    }, delay);
  }

  private setState(change: StateChange): void {
    this.currentState = change.state;
    this.events.emit('state', change);
  }

  // ---- incoming events ----

  private handleFrame(data: string): void {
    let event: ServerEvent;
    try {
      event = JSON.parse(data) as ServerEvent;
    } catch {
      return; // The server only sends JSON; ignore anything else rather than crash.
    }
    if (typeof event !== 'object' || event === null) return;

    switch (event.type) {
      case 'connected':
        // Only a session the server accepted resets the backoff: a server that
        // accepts and immediately closes (e.g. 4008, too many connections) must
        // not be hammered once a second.
        this.attempt = 0;
        this.me = event;
        this.events.emit('connected', event);
        break;
      case 'joined_channel':
        this.handleJoined(event);
        break;
      case 'left_channel':
        this.requests.resolve((r) => r.kind === 'leave' && r.channelId === event.channelId);
        this.events.emit('left_channel', event);
        break;
      case 'new_message':
        this.handleNewMessage(event);
        break;
      case 'user_typing':
        this.events.emit('user_typing', event);
        break;
      case 'user_stop_typing':
        this.events.emit('user_stop_typing', event);
        break;
      case 'user_presence':
        this.events.emit('user_presence', event);
        break;
      case 'message_read':
        this.events.emit('message_read', event);
        break;
      case 'message_deleted':
        this.events.emit('message_deleted', event);
        break;
      case 'replay_truncated':
        // The skipped messages are paged over HTTP: a later rejoin must not ask for them again.
        if (this.channels.has(event.channelId) && (this.cursor.get(event.channelId) ?? 0) < event.skippedTo) {
          this.cursor.set(event.channelId, event.skippedTo);
        }
        this.events.emit('replay_truncated', event);
        break;
      case 'message_updated':
        this.events.emit('message_updated', event);
        break;
      case 'error':
        this.handleError(event);
        break;
      default:
        break; // Unknown event types are future additions: ignore them.
    }
  }

  private handleJoined(event: JoinedChannelEvent): void {
    const { channelId } = event;
    this.requests.resolve((r) => r.kind === 'join' && r.channelId === channelId);
    const entry = this.channels.get(channelId);
    if (!entry || !this.isOpen()) return; // Left meanwhile.
    entry.joined = true;
    // Without a cursor of our own, start from the channel's current end, so that
    // a later rejoin asks for what was missed rather than for nothing (or all).
    if (this.cursor.get(channelId) === undefined && typeof event.lastSeq === 'number') {
      this.cursor.set(channelId, event.lastSeq);
    }
    this.events.emit('joined_channel', event);
    this.flushChannel(channelId);
  }

  private handleNewMessage(event: NewMessageEvent): void {
    const message = event.message;
    if (typeof message !== 'object' || message === null) return;
    const channelId = event.channelId ?? message.channelId;
    // Confirm before de-duplicating: the answer to a resend is the original
    // message again, a duplicate that still confirms our outbox entry.
    if (message.clientMsgId) this.confirmSend(message.clientMsgId);
    if (!this.cursor.accept(channelId, message)) return;
    this.events.emit('new_message', event);
  }

  private handleError(event: ChatErrorEvent): void {
    const request = this.attributeError(event);
    const error: ChatError = { message: event.message, code: event.code, request };

    if (request?.kind === 'send') {
      if (this.outbox.remove(request.clientMsgId)) {
        this.events.emit('send_failed', {
          clientMsgId: request.clientMsgId,
          channelId: request.channelId,
          message: event.message,
          code: event.code,
        });
        this.finishLeaveIfIdle(request.channelId);
      }
    } else if (request?.kind === 'join') {
      this.dropRefusedChannel(request.channelId, event);
    }
    this.events.emit('error', error);
  }

  private attributeError(event: ChatErrorEvent): PendingRequest | undefined {
    if (event.clientMsgId) {
      const entry = this.outbox.get(event.clientMsgId);
      this.requests.resolve((r) => r.kind === 'send' && r.clientMsgId === event.clientMsgId);
      return entry ? { kind: 'send', channelId: entry.channelId, clientMsgId: entry.clientMsgId } : undefined;
    }
    // Errors about the connection itself (unauthorized) or about frames we never
    // send (invalid_json, unknown_type) answer no request.
    if (event.code !== undefined && !REQUEST_ERROR_CODES.has(event.code)) return undefined;
    return this.requests.shift();
  }

  /** The server refused the join: stop rejoining, and fail the sends waiting for it. */
  private dropRefusedChannel(channelId: number, event: ChatErrorEvent): void {
    this.channels.delete(channelId);
    this.cursor.forget(channelId);
    this.pendingReads.delete(channelId);
    for (const entry of this.outbox.forChannel(channelId)) {
      this.outbox.remove(entry.clientMsgId);
      this.events.emit('send_failed', {
        clientMsgId: entry.clientMsgId,
        channelId,
        message: event.message,
        code: event.code,
      });
    }
  }

  // ---- outgoing frames ----

  private confirmSend(clientMsgId: string): void {
    const entry = this.outbox.remove(clientMsgId);
    if (!entry) return;
    this.requests.resolve((r) => r.kind === 'send' && r.clientMsgId === clientMsgId);
    this.finishLeaveIfIdle(entry.channelId);
  }

  /** Writes what waited for this channel's join: unconfirmed sends, then read receipts. */
  private flushChannel(channelId: number): void {
    for (const entry of this.outbox.forChannel(channelId)) {
      if (entry.sentOnConnection !== this.connection) this.writeSend(entry);
    }
    const reads = this.pendingReads.get(channelId);
    if (reads) {
      this.pendingReads.delete(channelId);
      for (const messageId of reads) this.write({ type: 'mark_read', messageId, channelId });
    }
  }

  private finishLeaveIfIdle(channelId: number): void {
    const entry = this.channels.get(channelId);
    if (!entry || entry.wanted || this.outbox.forChannel(channelId).length > 0) return;
    // The server handles frames in order, so a leave written after a join that is
    // still unanswered is still correct.
    if (this.isOpen() && entry.joinSent) {
      this.write({ type: 'leave_channel', channelId });
      this.requests.push({ kind: 'leave', channelId });
    }
    this.channels.delete(channelId);
    this.cursor.forget(channelId);
    this.pendingReads.delete(channelId);
  }

  private writeJoin(channelId: number, entry: ChannelEntry): void {
    const since = this.cursor.get(channelId);
    this.write(since === undefined ? { type: 'join_channel', channelId } : { type: 'join_channel', channelId, since });
    this.requests.push({ kind: 'join', channelId });
    entry.joinSent = true;
  }

  private writeSend(entry: OutboxEntry): void {
    const frame: ClientFrame = {
      type: 'send_message',
      channelId: entry.channelId,
      content: entry.content,
      messageType: entry.messageType,
      clientMsgId: entry.clientMsgId,
    };
    if (entry.fileUrl !== undefined) frame.fileUrl = entry.fileUrl;
    this.write(frame);
    this.requests.push({ kind: 'send', channelId: entry.channelId, clientMsgId: entry.clientMsgId });
    entry.sentOnConnection = this.connection;
  }

  private write(frame: ClientFrame): void {
    if (this.isOpen()) this.socket?.send(JSON.stringify(frame));
  }

  private isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === SOCKET_OPEN;
  }

  private isJoined(channelId: number): boolean {
    return this.isOpen() && this.channels.get(channelId)?.joined === true;
  }
}
