import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayClient, gatewayUrl, type GatewayEvents } from '../src/socket/GatewayClient';
import { fakeWebSockets, type FakeSocket } from './FakeWebSocket';
import { chatMessage } from './messages';

const READY = { user: { id: 1, username: 'ana' }, guilds: [], sessionId: 'gw_1' };

function setup() {
  const fakes = fakeWebSockets();
  const client = new GatewayClient({ userId: 1, url: 'ws://parley.test/gateway', WebSocket: fakes.WebSocket, random: () => 0 });
  const dispatches: GatewayEvents['dispatch'][] = [];
  const ready: unknown[] = [];
  const resumed: unknown[] = [];
  const unauthorized: unknown[] = [];
  client.on('dispatch', (d) => dispatches.push(d));
  client.on('ready', (r) => ready.push(r));
  client.on('resumed', (r) => resumed.push(r));
  client.on('unauthorized', (u) => unauthorized.push(u));
  return { client, fakes, dispatches, ready, resumed, unauthorized };
}

function hello(socket: FakeSocket, interval = 10_000): void {
  socket.open();
  socket.receive({ op: 'HELLO', d: { heartbeat_interval: interval } });
}

describe('GatewayClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('identifies on HELLO, emits READY and dispatches, and heartbeats within the interval', () => {
    const { client, fakes, dispatches, ready } = setup();
    client.connect();
    const socket = fakes.last();
    hello(socket);

    expect(socket.frames()).toEqual([{ op: 'IDENTIFY', d: { userId: 1 } }]);
    socket.receive({ t: 'READY', s: 1, d: READY });
    const message = chatMessage({ id: 5 });
    socket.receive({ t: 'MESSAGE_CREATE', s: 2, d: message });

    expect(ready).toEqual([READY]);
    expect(dispatches).toEqual([{ t: 'MESSAGE_CREATE', d: message }]);
    vi.advanceTimersByTime(9_000);
    expect(socket.frames().filter((f) => f.op === 'HEARTBEAT')).toHaveLength(1);
    vi.advanceTimersByTime(9_000);
    expect(socket.frames().filter((f) => f.op === 'HEARTBEAT')).toHaveLength(2);
    client.close();
  });

  it('resumes after a drop with the last s, and identifies anew after INVALID_SESSION', () => {
    const { client, fakes, dispatches, ready, resumed } = setup();
    client.connect();
    const first = fakes.last();
    hello(first);
    first.receive({ t: 'READY', s: 1, d: READY });
    first.receive({ t: 'CHANNEL_CREATE', s: 2, d: { id: 9, name: 'new' } });
    first.drop(1006);

    vi.advanceTimersByTime(1_000);
    const second = fakes.last();
    expect(second).not.toBe(first);
    hello(second);
    expect(second.frames()).toEqual([{ op: 'RESUME', d: { sessionId: 'gw_1', seq: 2 } }]);
    second.receive({ t: 'MESSAGE_DELETE', s: 3, d: { id: 4, channelId: 7, guildId: 1 } });
    expect(resumed).toEqual([{ sessionId: 'gw_1' }]);
    expect(dispatches.map((d) => d.t)).toEqual(['CHANNEL_CREATE', 'MESSAGE_DELETE']);

    second.drop(1006);
    vi.advanceTimersByTime(1_000);
    const third = fakes.last();
    hello(third);
    third.receive({ op: 'INVALID_SESSION' });
    expect(third.frames()).toEqual([
      { op: 'RESUME', d: { sessionId: 'gw_1', seq: 3 } },
      { op: 'IDENTIFY', d: { userId: 1 } },
    ]);
    third.receive({ t: 'READY', s: 1, d: { ...READY, sessionId: 'gw_2' } });
    expect(ready).toHaveLength(2);
    client.close();
  });

  it('stops for good on 4001 and does not reconnect after close()', () => {
    const { client, fakes, unauthorized } = setup();
    client.connect();
    fakes.last().drop(4001, 'Authentication required');
    vi.advanceTimersByTime(60_000);

    expect(unauthorized).toEqual([{ code: 4001, reason: 'Authentication required' }]);
    expect(fakes.sockets).toHaveLength(1);

    const other = setup();
    other.client.connect();
    other.client.close();
    vi.advanceTimersByTime(60_000);
    expect(other.fakes.sockets).toHaveLength(1);
    expect(other.fakes.last().closedByClient?.code).toBe(1000);
  });

  it('backs off on repeated failures', () => {
    const { client, fakes } = setup();
    client.connect();
    fakes.last().drop(1006);
    vi.advanceTimersByTime(999);
    expect(fakes.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(fakes.sockets).toHaveLength(2);
    fakes.last().drop(1006);
    vi.advanceTimersByTime(1_999);
    expect(fakes.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(fakes.sockets).toHaveLength(3);
    client.close();
  });

  it('builds the URL from the page origin', () => {
    expect(gatewayUrl({ protocol: 'https:', host: 'chat.example' })).toBe('wss://chat.example/gateway');
    expect(gatewayUrl({ protocol: 'http:', host: 'localhost:5000' })).toBe('ws://localhost:5000/gateway');
  });
});
