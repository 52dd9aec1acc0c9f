import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ChatSocketClient,
  type ChatError,
  type ChatSocketClientOptions,
  type SendFailed,
  type StateChange,
} from '../src/socket/ChatSocketClient';
import type { NewMessageEvent } from '../src/socket/protocol';
import { chatSocketUrl } from '../src/socket/WebSocketLike';
import { fakeWebSockets, type FakeSocket } from './FakeWebSocket';
import { chatMessage, newMessageEvent } from './messages';

const CHANNEL = 7;

function setup(options: ChatSocketClientOptions = {}) {
  const fakes = fakeWebSockets();
  let nextId = 0;
  const client = new ChatSocketClient({
    url: 'ws://parley.test/ws/chat',
    WebSocket: fakes.WebSocket,
    random: () => 0,
    newClientMsgId: () => `cmid-${++nextId}`,
    ...options,
  });
  const states: StateChange[] = [];
  const messages: NewMessageEvent[] = [];
  const errors: ChatError[] = [];
  const failures: SendFailed[] = [];
  client.on('state', (change) => states.push(change));
  client.on('new_message', (event) => messages.push(event));
  client.on('error', (error) => errors.push(error));
  client.on('send_failed', (failure) => failures.push(failure));
  return { client, fakes, states, messages, errors, failures };
}

/** Plays the server's side of a successful (re)connection. */
function accept(socket: FakeSocket, joinedChannels: { channelId: number; lastSeq?: number }[] = []): void {
  socket.open();
  socket.receive({ type: 'connected', userId: 1, username: 'ana' });
  for (const joined of joinedChannels) socket.receive({ type: 'joined_channel', ...joined });
}

/** The frames the client wrote, without their requestIds (checked on their own below). */
function framesOf(socket: FakeSocket): Record<string, unknown>[] {
  return socket.frames().map(({ requestId: _requestId, ...frame }) => frame);
}

function framesOfType(socket: FakeSocket, type: string): Record<string, unknown>[] {
  return framesOf(socket).filter((frame) => frame.type === type);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('connection', () => {
  it('builds the socket URL from the page origin, ws or wss following the scheme', () => {
    expect(chatSocketUrl({ protocol: 'http:', host: 'chat.example:8080' })).toBe('ws://chat.example:8080/ws/chat');
    expect(chatSocketUrl({ protocol: 'https:', host: 'chat.example' })).toBe('wss://chat.example/ws/chat');
  });

  it('goes connecting then open, and joins requested channels once open', () => {
    const { client, fakes, states } = setup();
    client.join(CHANNEL);
    client.connect();
    expect(client.state).toBe('connecting');
    expect(fakes.last().url).toBe('ws://parley.test/ws/chat');
    expect(fakes.last().sent).toEqual([]);

    fakes.last().open();
    expect(client.state).toBe('open');
    expect(framesOf(fakes.last())).toEqual([{ type: 'join_channel', channelId: CHANNEL }]);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open']);
  });
});

describe('reconnect backoff', () => {
  it('waits 1, 2, 4, 8, 16, 30, 30 s between failed attempts', () => {
    const { client, fakes, states } = setup();
    client.connect();
    const expected = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000];

    for (const [index, delay] of expected.entries()) {
      fakes.last().drop(1006);
      expect(client.state).toBe('reconnecting');
      expect(states.at(-1)).toMatchObject({ state: 'reconnecting', retryInMs: delay, attempt: index + 1, code: 1006 });

      const socketsBefore = fakes.sockets.length;
      vi.advanceTimersByTime(delay - 1);
      expect(fakes.sockets.length).toBe(socketsBefore); // not a millisecond early
      vi.advanceTimersByTime(1);
      expect(fakes.sockets.length).toBe(socketsBefore + 1);
    }
  });

  it('applies jitter within [0.8, 1] of the nominal delay, never above the 30 s cap', () => {
    const { client, fakes, states } = setup({ random: Math.random });
    client.connect();
    const nominal = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000];
    for (const delay of nominal) {
      fakes.last().drop(1006);
      const retryInMs = states.at(-1)?.retryInMs ?? -1;
      expect(retryInMs).toBeGreaterThanOrEqual(delay * 0.8);
      expect(retryInMs).toBeLessThanOrEqual(delay);
      vi.advanceTimersByTime(retryInMs);
    }
    expect(fakes.sockets.length).toBe(nominal.length + 1);
  });

  it('uses the injected random source for jitter', () => {
    const { client, fakes, states } = setup({ random: () => 0.5 });
    client.connect();
    fakes.last().drop(1006);
    expect(states.at(-1)?.retryInMs).toBe(900); // 1 s minus half of the 20 % jitter
  });

  it('starts again from 1 s once the server accepted a connection', () => {
    const { client, fakes, states } = setup();
    client.connect();
    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    fakes.last().drop(1006);
    vi.advanceTimersByTime(2_000);
    accept(fakes.last());
    fakes.last().drop(1001, 'Server shutting down');
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', retryInMs: 1_000, code: 1001 });
  });

  it('never reconnects after close code 4001 and reports why it stopped', () => {
    const { client, fakes, states } = setup();
    const unauthorized = vi.fn();
    client.on('unauthorized', unauthorized);
    client.join(CHANNEL);
    client.connect();
    fakes.last().open();
    fakes.last().receive({ type: 'error', message: 'Authentication required', code: 'unauthorized' });
    fakes.last().drop(4001, 'Authentication required');

    expect(client.state).toBe('stopped');
    expect(states.at(-1)).toEqual({ state: 'stopped', code: 4001, reason: 'Authentication required' });
    expect(unauthorized).toHaveBeenCalledWith({ code: 4001, reason: 'Authentication required' });
    vi.advanceTimersByTime(10 * 60_000);
    expect(fakes.sockets.length).toBe(1);
  });

  it('does not reconnect after close(), even with a reconnect pending', () => {
    const { client, fakes } = setup();
    client.connect();
    fakes.last().drop(1006);
    client.close();
    vi.advanceTimersByTime(60_000);
    expect(fakes.sockets.length).toBe(1);
    expect(client.state).toBe('stopped');
  });

  it('reconnectNow() skips the remaining wait', () => {
    const { client, fakes } = setup();
    client.connect();
    fakes.last().drop(1006);
    client.reconnectNow();
    expect(fakes.sockets.length).toBe(2);
    vi.advanceTimersByTime(60_000);
    expect(fakes.sockets.length).toBe(2); // the cancelled timer does not open a third
  });
});

describe('rejoin after reconnect', () => {
  it('rejoins every channel with since = the last seq seen there', () => {
    const { client, fakes } = setup();
    client.join(CHANNEL);
    client.join(9);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }, { channelId: 9, lastSeq: 40 }]);
    for (const seq of [1, 2, 3]) fakes.last().receive(newMessageEvent(chatMessage({ id: 100 + seq, seq })));

    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    fakes.last().open();

    expect(framesOfType(fakes.last(), 'join_channel')).toEqual([
      { type: 'join_channel', channelId: CHANNEL, since: 3 },
      // Nothing arrived in channel 9: its cursor is the lastSeq of the first join.
      { type: 'join_channel', channelId: 9, since: 40 },
    ]);
  });

  it('joins with the since given by the caller (e.g. the newest message of loaded history)', () => {
    const { client, fakes } = setup();
    client.connect();
    fakes.last().open();
    client.join(CHANNEL, { since: 12 });
    expect(framesOf(fakes.last())).toEqual([{ type: 'join_channel', channelId: CHANNEL, since: 12 }]);
  });

  it('emits each replayed message once, dropping those already seen', () => {
    const { client, fakes, messages } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    for (const seq of [1, 2]) fakes.last().receive(newMessageEvent(chatMessage({ id: seq, seq })));

    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 4 }]);
    // The replay overlaps what we had (seq 2) and a live copy repeats seq 4.
    for (const seq of [2, 3, 4, 4]) fakes.last().receive(newMessageEvent(chatMessage({ id: seq, seq })));

    expect(messages.map((event) => event.message.seq)).toEqual([1, 2, 3, 4]);
  });

  it('reports a truncated replay and does not ask for the skipped messages at the next rejoin', () => {
    const { client, fakes, messages } = setup();
    const truncations: unknown[] = [];
    client.on('replay_truncated', (event) => truncations.push(event));
    client.join(CHANNEL, { since: 0 });
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 12 }]);
    fakes.last().receive({ type: 'replay_truncated', channelId: CHANNEL, skippedFrom: 1, skippedTo: 7 });
    // Dropped before the replayed messages came.
    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    fakes.last().open();

    expect(truncations).toEqual([{ type: 'replay_truncated', channelId: CHANNEL, skippedFrom: 1, skippedTo: 7 }]);
    expect(messages).toEqual([]);
    expect(framesOfType(fakes.last(), 'join_channel')).toEqual([{ type: 'join_channel', channelId: CHANNEL, since: 7 }]);
  });

  it('de-duplicates by message id when the server sends no seq', () => {
    const { client, fakes, messages } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL }]);
    const message = chatMessage({ id: 55, seq: undefined });
    fakes.last().receive(newMessageEvent(message));
    fakes.last().receive(newMessageEvent(message));
    expect(messages).toHaveLength(1);
  });
});

describe('outbox', () => {
  it('holds sends made while disconnected and writes them exactly once after reconnect and rejoin', () => {
    const { client, fakes, messages } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    fakes.last().receive(newMessageEvent(chatMessage({ id: 1, seq: 1 })));
    fakes.last().drop(1006);

    const first = client.send(CHANNEL, 'hello');
    const second = client.send(CHANNEL, 'again');
    expect(first).toBe('cmid-1');
    expect(client.pendingSends.map((entry) => entry.clientMsgId)).toEqual(['cmid-1', 'cmid-2']);

    vi.advanceTimersByTime(1_000);
    const socket = fakes.last();
    socket.open();
    // Not before the server confirmed the rejoin: sending needs a joined channel.
    expect(framesOf(socket)).toEqual([{ type: 'join_channel', channelId: CHANNEL, since: 1 }]);

    socket.receive({ type: 'connected', userId: 1, username: 'ana' });
    socket.receive({ type: 'joined_channel', channelId: CHANNEL, lastSeq: 1 });
    expect(framesOfType(socket, 'send_message')).toEqual([
      { type: 'send_message', channelId: CHANNEL, content: 'hello', messageType: 'text', clientMsgId: first },
      { type: 'send_message', channelId: CHANNEL, content: 'again', messageType: 'text', clientMsgId: second },
    ]);

    // More joins or messages on the same connection do not write them again.
    socket.receive({ type: 'joined_channel', channelId: CHANNEL, lastSeq: 1 });
    socket.receive(newMessageEvent(chatMessage({ id: 2, seq: 2, authorId: 1, clientMsgId: first })));
    socket.receive(newMessageEvent(chatMessage({ id: 3, seq: 3, authorId: 1, clientMsgId: second })));
    expect(framesOfType(socket, 'send_message')).toHaveLength(2);
    expect(client.pendingSends).toEqual([]);
    expect(messages.map((event) => event.message.id)).toEqual([1, 2, 3]);

    // Confirmed entries are gone for good: the next reconnect writes nothing.
    socket.drop(1006);
    vi.advanceTimersByTime(1_000);
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 3 }]);
    expect(framesOfType(fakes.last(), 'send_message')).toEqual([]);
  });

  it('writes a send at once when joined, and resends it once per connection until the echo arrives', () => {
    const { client, fakes, messages } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    const id = client.send(CHANNEL, 'hi');
    expect(framesOfType(fakes.last(), 'send_message')).toHaveLength(1);

    // The connection drops before the echo: stored or not, we cannot tell.
    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 1 }]);
    expect(framesOfType(fakes.last(), 'send_message')).toEqual([
      { type: 'send_message', channelId: CHANNEL, content: 'hi', messageType: 'text', clientMsgId: id },
    ]);

    // It was stored: the replay brings it, and the server answers the resend with
    // the same original message. The user sees it once.
    const stored = chatMessage({ id: 10, seq: 1, authorId: 1, content: 'hi', clientMsgId: id });
    fakes.last().receive(newMessageEvent(stored));
    fakes.last().receive(newMessageEvent(stored));
    expect(messages.map((event) => event.message.id)).toEqual([10]);
    expect(client.pendingSends).toEqual([]);
  });

  it('keeps the clientMsgId within 64 characters by default', () => {
    const fakes = fakeWebSockets();
    const client = new ChatSocketClient({ url: 'ws://x/ws/chat', WebSocket: fakes.WebSocket });
    const id = client.send(CHANNEL, 'x');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(client.send(CHANNEL, 'y')).not.toBe(id);
  });

  it('reports a rate-limited send as failed and drops it from the outbox', () => {
    const { client, fakes, errors, failures } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    const ok = client.send(CHANNEL, 'one');
    const refused = client.send(CHANNEL, 'two');
    fakes.last().receive(newMessageEvent(chatMessage({ id: 1, seq: 1, authorId: 1, clientMsgId: ok })));
    fakes.last().receive({
      type: 'error',
      message: 'You are sending messages too fast. Please wait.',
      code: 'rate_limited',
    });

    expect(failures).toEqual([
      {
        clientMsgId: refused,
        channelId: CHANNEL,
        message: 'You are sending messages too fast. Please wait.',
        code: 'rate_limited',
      },
    ]);
    expect(errors[0]).toMatchObject({ code: 'rate_limited', request: { kind: 'send', clientMsgId: refused } });
    expect(client.pendingSends).toEqual([]);

    // A refused send is not retried behind the user's back.
    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 1 }]);
    expect(framesOfType(fakes.last(), 'send_message')).toEqual([]);
  });

  it('stops rejoining a channel whose join was refused, failing its queued sends', () => {
    const { client, fakes, errors, failures } = setup();
    client.join(CHANNEL);
    const queued = client.send(CHANNEL, 'hi');
    client.connect();
    fakes.last().open();
    fakes.last().receive({ type: 'error', message: 'You are not a member of this workspace.', code: 'forbidden' });

    expect(errors[0]).toMatchObject({ code: 'forbidden', request: { kind: 'join', channelId: CHANNEL } });
    expect(failures.map((failure) => failure.clientMsgId)).toEqual([queued]);
    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    fakes.last().open();
    expect(framesOf(fakes.last())).toEqual([]);
  });
});

describe('channels, typing and reads', () => {
  it('defers leave until the channel has no unconfirmed sends', () => {
    const { client, fakes } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    const id = client.send(CHANNEL, 'bye');
    client.leave(CHANNEL);
    expect(framesOfType(fakes.last(), 'leave_channel')).toEqual([]);

    fakes.last().receive(newMessageEvent(chatMessage({ id: 1, seq: 1, authorId: 1, clientMsgId: id })));
    expect(framesOfType(fakes.last(), 'leave_channel')).toEqual([{ type: 'leave_channel', channelId: CHANNEL }]);

    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_000);
    fakes.last().open();
    expect(framesOfType(fakes.last(), 'join_channel')).toEqual([]);
  });

  it('sends typing only on joined channels and never queues it', () => {
    const { client, fakes } = setup();
    client.join(CHANNEL);
    client.connect();
    client.typing(CHANNEL);
    fakes.last().open();
    client.typing(CHANNEL); // joined_channel not yet received
    fakes.last().receive({ type: 'joined_channel', channelId: CHANNEL, lastSeq: 0 });
    client.typing(CHANNEL);
    client.stopTyping(CHANNEL);
    expect(framesOf(fakes.last()).slice(1)).toEqual([
      { type: 'typing', channelId: CHANNEL },
      { type: 'stop_typing', channelId: CHANNEL },
    ]);
  });

  it('queues read receipts made while disconnected and sends them after the rejoin', () => {
    const { client, fakes } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 5 }]);
    client.markRead(CHANNEL, 4);
    expect(framesOfType(fakes.last(), 'mark_read')).toEqual([{ type: 'mark_read', messageId: 4, channelId: CHANNEL }]);

    fakes.last().drop(1006);
    client.markRead(CHANNEL, 5);
    vi.advanceTimersByTime(1_000);
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 5 }]);
    expect(framesOfType(fakes.last(), 'mark_read')).toEqual([{ type: 'mark_read', messageId: 5, channelId: CHANNEL }]);
  });

  it('forwards server events to listeners and ignores frames of a replaced socket', () => {
    const { client, fakes } = setup();
    const typing = vi.fn();
    const presence = vi.fn();
    client.on('user_typing', typing);
    client.on('user_presence', presence);
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    const old = fakes.last();
    old.receive({ type: 'user_typing', userId: 2, username: 'ben', channelId: CHANNEL });
    old.receive({ type: 'user_presence', userId: 2, username: 'ben', status: 'online', channelId: CHANNEL });
    expect(typing).toHaveBeenCalledWith({ type: 'user_typing', userId: 2, username: 'ben', channelId: CHANNEL });
    expect(presence).toHaveBeenCalledTimes(1);

    old.drop(1006);
    vi.advanceTimersByTime(1_000);
    old.receive({ type: 'user_typing', userId: 3, username: 'cy', channelId: CHANNEL });
    expect(typing).toHaveBeenCalledTimes(1);
  });
});

describe('message_updated', () => {
  it('is emitted with the edited message', () => {
    const fakes = fakeWebSockets();
    const client = new ChatSocketClient({ url: 'ws://parley.test/ws/chat', WebSocket: fakes.WebSocket, random: () => 0 });
    const updates: unknown[] = [];
    client.on('message_updated', (event) => updates.push(event.message));
    client.connect();
    const socket = fakes.last();
    socket.open();
    const edited = chatMessage({ id: 3, content: 'fixed typo', editedAt: '2026-11-26T17:05:00.000Z' });

    socket.receive({ type: 'message_updated', message: edited });

    expect(updates).toEqual([edited]);
    client.close();
  });
});

describe('request ids and pipelined sends', () => {
  it('gives every frame a fresh requestId', () => {
    const { client, fakes } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    client.send(CHANNEL, 'one');
    client.typing(CHANNEL);
    client.markRead(CHANNEL, 1);
    const ids = fakes.last().frames().map((frame) => frame.requestId);
    expect(ids).toHaveLength(4);
    expect(ids.every((id) => typeof id === 'string' && id.length >= 1 && id.length <= 64)).toBe(true);
    expect(new Set(ids).size).toBe(4);
  });

  it('matches answers by requestId, not by order', () => {
    const { client, fakes, failures, errors } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    const first = client.send(CHANNEL, 'one');
    const second = client.send(CHANNEL, 'two');
    const [firstFrame, secondFrame] = fakes.last().frames().filter((frame) => frame.type === 'send_message');

    // The second send's refusal comes first: order would blame the first one.
    fakes.last().receive({ type: 'error', message: 'No.', code: 'forbidden', requestId: secondFrame?.requestId });
    expect(failures.map((failure) => failure.clientMsgId)).toEqual([second]);
    expect(errors[0]?.request).toMatchObject({ kind: 'send', clientMsgId: second });
    expect(client.pendingSends.map((entry) => entry.clientMsgId)).toEqual([first]);

    fakes.last().receive({
      ...newMessageEvent(chatMessage({ id: 1, seq: 1, authorId: 1, clientMsgId: first })),
      requestId: firstFrame?.requestId,
    });
    expect(client.pendingSends).toEqual([]);
  });

  it('ignores an error whose requestId names no pending request (e.g. a typing frame)', () => {
    const { client, fakes, failures, errors } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    client.send(CHANNEL, 'one');
    client.typing(CHANNEL);
    const typingFrame = fakes.last().frames().find((frame) => frame.type === 'typing');
    fakes.last().receive({ type: 'error', message: 'Join the channel first.', code: 'not_joined', requestId: typingFrame?.requestId });
    expect(errors[0]?.request).toBeUndefined();
    expect(failures).toEqual([]);
    expect(client.pendingSends).toHaveLength(1);
  });

  it('keeps at most maxSendsInFlight sends unanswered, writing the next as answers come', () => {
    const { client, fakes } = setup({ maxSendsInFlight: 2 });
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    const ids = [1, 2, 3, 4].map((n) => client.send(CHANNEL, `m${n}`));
    expect(framesOfType(fakes.last(), 'send_message').map((frame) => frame.content)).toEqual(['m1', 'm2']);

    fakes.last().receive(newMessageEvent(chatMessage({ id: 1, seq: 1, authorId: 1, clientMsgId: ids[0] })));
    expect(framesOfType(fakes.last(), 'send_message').map((frame) => frame.content)).toEqual(['m1', 'm2', 'm3']);
    fakes.last().receive({ type: 'error', message: 'You are sending messages too fast. Please wait.', code: 'rate_limited' });
    expect(framesOfType(fakes.last(), 'send_message').map((frame) => frame.content)).toEqual(['m1', 'm2', 'm3', 'm4']);
    // Refused by order (no requestId from this server): the oldest unanswered send, m2; never written again.
    expect(client.pendingSends.map((entry) => entry.content)).toEqual(['m3', 'm4']);
  });

  it('defaults to 16 sends in flight', () => {
    const { client, fakes } = setup();
    client.join(CHANNEL);
    client.connect();
    accept(fakes.last(), [{ channelId: CHANNEL, lastSeq: 0 }]);
    for (let n = 1; n <= 20; n++) client.send(CHANNEL, `m${n}`);
    expect(framesOfType(fakes.last(), 'send_message')).toHaveLength(16);
  });
});
