import { systemClock } from '../clock';
import { defaultBackoff } from './backoff';
import type { ChatError, ChatSocketClientOptions, ChatSocketEvents, ConnectionState, SendOptions } from './chatSocketEvents';
import { newClientMsgId } from './clientMsgId';
import { Emitter, type Listener } from './Emitter';
import { MessageCursor } from './MessageCursor';
import { Outbox, type OutboxEntry } from './Outbox';
import { PendingRequests } from './PendingRequests';
import {
  MAX_CLIENT_MSG_ID_LENGTH,
  type ChatErrorEvent,
  type ChatMessage,
  type ClientFrame,
  type ConnectedEvent,
  type JoinedChannelEvent,
  type NewMessageEvent,
  type ServerEvent,
} from './protocol';
import { ReconnectingSocket } from './ReconnectingSocket';

export type {
  ChatError,
  ChatSocketClientOptions,
  ChatSocketEvents,
  ConnectionState,
  SendConfirmed,
  SendFailed,
  SendOptions,
  StateChange,
} from './chatSocketEvents';

/** Sends written and not yet answered on one connection, by default; the .NET client uses the same. */
export const DEFAULT_MAX_SENDS_IN_FLIGHT = 16;

interface ChannelEntry {
  /** False after leave() while sends to the channel are still unconfirmed. */
  wanted: boolean;
  /** join_channel was written on the current connection. */
  joinSent: boolean;
  /** joined_channel was received on the current connection. */
  joined: boolean;
}

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
 *   its echo arrives or the server refuses it;
 * - sends are pipelined, up to `maxSendsInFlight` on the wire, each answered by
 *   its own echo or error, matched by `requestId`; a send refused with
 *   `rate_limited` fails (`send_failed`) and is never retried by the client.
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
  private readonly socket: ReconnectingSocket;
  private readonly newId: () => string;
  private readonly maxSendsInFlight: number;

  /** Incremented per socket; lets an outbox entry know if it was written on this one. */
  private connection = 0;
  private me: ConnectedEvent | null = null;

  constructor(options: ChatSocketClientOptions = {}) {
    this.newId = options.newClientMsgId ?? newClientMsgId;
    this.maxSendsInFlight = Math.max(1, options.maxSendsInFlight ?? DEFAULT_MAX_SENDS_IN_FLIGHT);
    this.socket = new ReconnectingSocket(
      {
        url: options.url,
        WebSocket: options.WebSocket ?? globalThis.WebSocket,
        clock: options.clock ?? systemClock,
        random: options.random ?? Math.random,
        backoff: { ...defaultBackoff, ...options.backoff },
      },
      {
        reset: () => this.resetConnection(),
        open: () => {
          for (const [channelId, entry] of this.channels) this.writeJoin(channelId, entry);
        },
        frame: (data) => this.handleFrame(data),
        state: (change) => this.events.emit('state', change),
        unauthorized: (code, reason) => this.events.emit('unauthorized', { code, reason }),
      },
    );
  }

  get state(): ConnectionState {
    return this.socket.state;
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
    this.socket.start();
  }

  /** Skips the rest of the current backoff wait (e.g. when the browser comes back online). */
  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  /** Stops for good: closes the socket and never reconnects. */
  close(): void {
    this.socket.stop();
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
    if (this.socket.isOpen) this.writeJoin(channelId, entry);
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
   * is joined and fewer than `maxSendsInFlight` sends await their answer, else as
   * soon as both hold; it stays queued until its echo arrives or it is refused.
   * Joins the channel if needed.
   */
  send(channelId: number, content: string, options: SendOptions = {}): string {
    const clientMsgId = options.clientMsgId ?? this.newId();
    if (clientMsgId.length === 0 || clientMsgId.length > MAX_CLIENT_MSG_ID_LENGTH) {
      throw new RangeError(`clientMsgId must be 1..${MAX_CLIENT_MSG_ID_LENGTH} characters`);
    }
    if (this.outbox.has(clientMsgId)) return clientMsgId;
    if (!this.channels.get(channelId)?.wanted) this.join(channelId);

    this.outbox.add({
      clientMsgId,
      channelId,
      content,
      messageType: options.messageType ?? 'text',
      fileUrl: options.fileUrl,
      sentOnConnection: null,
    });
    this.writeSends();
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

  /** A socket is being made or is gone: nothing is in flight or joined on it. */
  private resetConnection(): void {
    this.connection += 1;
    this.requests.clear();
    for (const entry of this.channels.values()) {
      entry.joinSent = false;
      entry.joined = false;
    }
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
        this.socket.accepted();
        this.me = event;
        this.events.emit('connected', event);
        break;
      case 'joined_channel':
        this.handleJoined(event);
        break;
      case 'left_channel':
        this.requests.answer(event.requestId, (r) => r.kind === 'leave' && r.channelId === event.channelId);
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
      case 'message_pinned':
        this.events.emit('message_pinned', event);
        break;
      case 'message_unpinned':
        this.events.emit('message_unpinned', event);
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
    this.requests.answer(event.requestId, (r) => r.kind === 'join' && r.channelId === channelId);
    const entry = this.channels.get(channelId);
    if (!entry || !this.socket.isOpen) return; // Left meanwhile.
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
    if (message.clientMsgId) this.confirmSend(message, message.clientMsgId, event.requestId);
    if (!this.cursor.accept(channelId, message)) return;
    this.events.emit('new_message', event);
  }

  private handleError(event: ChatErrorEvent): void {
    const request = this.requests.answerError(event);
    const error: ChatError = { message: event.message, code: event.code, request };

    if (request?.kind === 'send') {
      // rate_limited too: retrying by ourselves would put it behind the sends pipelined after it.
      if (this.outbox.remove(request.clientMsgId)) {
        this.events.emit('send_failed', {
          clientMsgId: request.clientMsgId,
          channelId: request.channelId,
          message: event.message,
          code: event.code,
        });
        this.finishLeaveIfIdle(request.channelId);
      }
      this.writeSends();
    } else if (request?.kind === 'join') {
      this.dropRefusedChannel(request.channelId, event);
    }
    this.events.emit('error', error);
  }

  /** The server refused the join: stop rejoining, and fail the sends waiting for it. */
  private dropRefusedChannel(channelId: number, event: ChatErrorEvent): void {
    this.forgetChannel(channelId);
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

  private confirmSend(message: ChatMessage, clientMsgId: string, requestId: string | undefined): void {
    const entry = this.outbox.get(clientMsgId);
    // Only our own message in that channel: another user may have picked the same clientMsgId.
    if (!entry || entry.channelId !== message.channelId || (this.me !== null && message.authorId !== this.me.userId)) return;
    this.outbox.remove(clientMsgId);
    // By the echo's requestId; a replayed echo (after a reconnect) has none, and matches by clientMsgId.
    if (!this.requests.answer(requestId, (r) => r.kind === 'send' && r.clientMsgId === clientMsgId)) {
      this.requests.answer(undefined, (r) => r.kind === 'send' && r.clientMsgId === clientMsgId);
    }
    this.events.emit('sent', { clientMsgId, message });
    this.finishLeaveIfIdle(entry.channelId);
    this.writeSends();
  }

  /** Writes what waited for this channel's join: unconfirmed sends, then read receipts. */
  private flushChannel(channelId: number): void {
    this.writeSends();
    const reads = this.pendingReads.get(channelId);
    if (reads) {
      this.pendingReads.delete(channelId);
      for (const messageId of reads) this.write({ type: 'mark_read', messageId, channelId });
    }
  }

  /**
   * Writes the outbox's sends not yet written on this connection, oldest first, to
   * joined channels, while fewer than `maxSendsInFlight` await their answer.
   */
  private writeSends(): void {
    for (const entry of this.outbox.all()) {
      if (this.requests.sendsInFlight >= this.maxSendsInFlight) return;
      if (entry.sentOnConnection !== this.connection && this.isJoined(entry.channelId)) this.writeSend(entry);
    }
  }

  private finishLeaveIfIdle(channelId: number): void {
    const entry = this.channels.get(channelId);
    if (!entry || entry.wanted || this.outbox.forChannel(channelId).length > 0) return;
    // The server handles frames in order, so a leave written after a join that is
    // still unanswered is still correct.
    if (this.socket.isOpen && entry.joinSent) {
      const requestId = this.write({ type: 'leave_channel', channelId });
      if (requestId) this.requests.push({ kind: 'leave', channelId, requestId });
    }
    this.forgetChannel(channelId);
  }

  /** Not in the channel any more: no rejoin, no cursor, no queued read receipts. */
  private forgetChannel(channelId: number): void {
    this.channels.delete(channelId);
    this.cursor.forget(channelId);
    this.pendingReads.delete(channelId);
  }

  private writeJoin(channelId: number, entry: ChannelEntry): void {
    const since = this.cursor.get(channelId);
    const requestId = this.write(since === undefined ? { type: 'join_channel', channelId } : { type: 'join_channel', channelId, since });
    if (!requestId) return;
    this.requests.push({ kind: 'join', channelId, requestId });
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
    const requestId = this.write(frame);
    if (!requestId) return;
    this.requests.push({ kind: 'send', channelId: entry.channelId, clientMsgId: entry.clientMsgId, requestId });
    entry.sentOnConnection = this.connection;
  }

  /** Writes a request with a fresh requestId; returns it, or undefined when no socket is open. */
  private write(frame: ClientFrame): string | undefined {
    const requestId = this.requests.nextId();
    return this.socket.send(JSON.stringify({ ...frame, requestId })) ? requestId : undefined;
  }

  private isJoined(channelId: number): boolean {
    return this.socket.isOpen && this.channels.get(channelId)?.joined === true;
  }
}
