import { systemClock, type Clock, type TimerHandle } from '../clock';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff';
import { Emitter } from './Emitter';
import { GATEWAY_CLOSE_UNAUTHORIZED, type GatewayDispatches, type GatewayServerFrame, type ReadyData } from './gatewayProtocol';
import { SOCKET_OPEN, type WebSocketCtor, type WebSocketLike } from './WebSocketLike';

export interface GatewayEvents {
  /** A fresh session (IDENTIFY answered): the client's view should be reloaded, events may have been missed. */
  ready: ReadyData;
  /** A resumed session: nothing was missed. */
  resumed: { sessionId: string };
  dispatch: { [K in keyof GatewayDispatches]: { t: K; d: GatewayDispatches[K] } }[keyof GatewayDispatches];
  /** Closed with 4001: the login is gone; the client stopped. */
  unauthorized: { code: number; reason: string };
}

export interface GatewayClientOptions {
  userId: number;
  url?: string;
  WebSocket?: WebSocketCtor;
  clock?: Clock;
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
}

/**
 * The one `/gateway` connection of the app: events of every workspace and DM of
 * the user. It answers HELLO with IDENTIFY (or RESUME after a drop, so that the
 * dispatches missed meanwhile are replayed), sends HEARTBEAT every
 * `heartbeat_interval`, and reconnects with the chat socket's backoff. Close
 * code 4001 stops it for good.
 */
export class GatewayClient {
  private readonly events = new Emitter<GatewayEvents>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly WebSocketImpl: WebSocketCtor | undefined;

  private socket: WebSocketLike | null = null;
  private running = false;
  private attempt = 0;
  private heartbeat: TimerHandle | null = null;
  private reconnectTimer: TimerHandle | null = null;
  private sessionId: string | null = null;
  /** The last `s` received: what a RESUME asks to continue after. */
  private seq = 0;
  /** A RESUME is in flight on this socket: its first dispatch proves it worked. */
  private resuming = false;

  constructor(private readonly options: GatewayClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.WebSocketImpl = options.WebSocket ?? (typeof WebSocket === 'function' ? WebSocket : undefined);
  }

  on<K extends keyof GatewayEvents>(type: K, listener: (payload: GatewayEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  connect(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  close(): void {
    this.running = false;
    this.stopTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'closed');
  }

  private open(): void {
    if (!this.WebSocketImpl) return;
    const url = this.options.url ?? gatewayUrl(globalThis.location);
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketImpl(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.resuming = false;
    socket.onopen = () => {};
    socket.onmessage = (event) => {
      if (this.socket === socket && typeof event.data === 'string') this.handleFrame(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.handleClose(event.code, event.reason);
    };
    socket.onerror = () => {};
  }

  private handleFrame(data: string): void {
    let frame: GatewayServerFrame;
    try {
      frame = JSON.parse(data) as GatewayServerFrame;
    } catch {
      return;
    }
    if (frame.op === 'HELLO') {
      this.startHeartbeat(frame.d.heartbeat_interval);
      if (this.sessionId !== null && this.seq > 0) {
        this.resuming = true;
        this.write({ op: 'RESUME', d: { sessionId: this.sessionId, seq: this.seq } });
      } else {
        this.identify();
      }
      return;
    }
    if (frame.op === 'INVALID_SESSION') {
      // The session is gone (expired, or the server restarted): start a new one; READY tells the app to reload.
      this.sessionId = null;
      this.seq = 0;
      this.resuming = false;
      this.identify();
      return;
    }
    if (frame.op === 'HEARTBEAT_ACK' || typeof frame.t !== 'string') return;

    if (typeof frame.s === 'number') this.seq = Math.max(this.seq, frame.s);
    if (frame.t === 'READY') {
      const ready = frame.d as ReadyData;
      this.sessionId = ready.sessionId;
      this.attempt = 0;
      this.events.emit('ready', ready);
      return;
    }
    if (this.resuming) {
      this.resuming = false;
      this.attempt = 0;
      if (this.sessionId) this.events.emit('resumed', { sessionId: this.sessionId });
    }
    this.events.emit('dispatch', { t: frame.t, d: frame.d } as GatewayEvents['dispatch']);
  }

  private identify(): void {
    this.write({ op: 'IDENTIFY', d: { userId: this.options.userId } });
  }

  private startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat();
    // A little early, so that network delay never makes it late (the server allows 1.5 × the interval).
    const every = Math.max(1_000, Math.floor(intervalMs * 0.9));
    const beat = (): void => {
      this.write({ op: 'HEARTBEAT' });
      this.heartbeat = this.clock.setTimeout(beat, every);
    };
    this.heartbeat = this.clock.setTimeout(beat, every);
  }

  private handleClose(code: number, reason: string): void {
    this.socket = null;
    this.stopHeartbeat();
    if (!this.running) return;
    if (code === GATEWAY_CLOSE_UNAUTHORIZED) {
      this.running = false;
      this.events.emit('unauthorized', { code, reason });
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt, this.random, this.backoff);
    this.attempt += 1;
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) this.open();
    }, delay);
  }

  private write(frame: object): void {
    if (this.socket && this.socket.readyState === SOCKET_OPEN) this.socket.send(JSON.stringify(frame));
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) this.clock.clearTimeout(this.heartbeat);
    this.heartbeat = null;
  }

  private stopTimers(): void {
    this.stopHeartbeat();
    if (this.reconnectTimer !== null) this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }
}

/** `ws(s)://host/gateway` for the page's own origin. */
export function gatewayUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/gateway`;
}
