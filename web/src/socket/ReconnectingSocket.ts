import type { Clock, TimerHandle } from '../clock';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { StateChange } from './chatSocketEvents';
import { CLOSE_UNAUTHORIZED } from './protocol';
import { chatSocketUrl, SOCKET_OPEN, type WebSocketCtor, type WebSocketLike } from './WebSocketLike';

/** What the socket tells its owner, each about the current socket only. */
export interface ReconnectingSocketHandlers {
  /** A socket is about to be made, or the current one is gone: nothing written so far is in flight any more. */
  reset(): void;
  open(): void;
  frame(data: string): void;
  state(change: StateChange): void;
  /** The server closed with 4001: stopped for good. */
  unauthorized(code: number, reason: string): void;
}

export interface ReconnectingSocketOptions {
  url: string | undefined;
  WebSocket: WebSocketCtor | undefined;
  clock: Clock;
  random: () => number;
  backoff: BackoffOptions;
}

/**
 * The connection lifecycle of `/ws/chat`, apart from what is said on it: one
 * socket at a time, a lost one replaced after an exponential backoff with jitter,
 * no reconnect after close code 4001 or `stop()`. The backoff starts again from
 * its first step only when the owner says the server `accepted()` the session,
 * so that a server that accepts and closes at once (4008) is not hammered.
 */
export class ReconnectingSocket {
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private reconnectTimer: TimerHandle | null = null;
  private running = false;
  private currentState: StateChange['state'] = 'stopped';

  constructor(
    private readonly options: ReconnectingSocketOptions,
    private readonly handlers: ReconnectingSocketHandlers,
  ) {}

  get state(): StateChange['state'] {
    return this.currentState;
  }

  get isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === SOCKET_OPEN;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.setState({ state: 'connecting' });
    this.openSocket();
  }

  /** Skips the rest of the current backoff wait (e.g. when the browser comes back online). */
  reconnectNow(): void {
    if (!this.running || this.reconnectTimer === null) return;
    this.options.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.openSocket();
  }

  /** Stops for good: closes the socket and never reconnects. */
  stop(): void {
    this.running = false;
    if (this.reconnectTimer !== null) this.options.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'Client closed');
    this.setState({ state: 'stopped' });
  }

  /** The server accepted this connection (`connected`): the next loss starts the backoff from 1 s. */
  accepted(): void {
    this.attempt = 0;
  }

  /** Writes one frame if a socket is open; false (nothing written) otherwise. */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.socket?.send(text);
    return true;
  }

  private openSocket(): void {
    this.handlers.reset();
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
      if (this.socket === socket) {
        this.setState({ state: 'open' });
        this.handlers.open();
      }
    };
    socket.onmessage = (event) => {
      if (this.socket === socket && typeof event.data === 'string') this.handlers.frame(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.handleClose(event.code, event.reason);
    };
    // A close event always follows an error event; reconnecting is handled there.
    socket.onerror = () => {};
  }

  private createSocket(): WebSocketLike {
    const { WebSocket, url } = this.options;
    if (!WebSocket) throw new Error('No WebSocket implementation available');
    return new WebSocket(url ?? chatSocketUrl(globalThis.location));
  }

  private handleClose(code: number, reason: string): void {
    this.socket = null;
    this.handlers.reset();
    if (!this.running) return;

    if (code === CLOSE_UNAUTHORIZED) {
      // The session is gone; retrying would only be refused again.
      this.running = false;
      this.setState({ state: 'stopped', code, reason });
      this.handlers.unauthorized(code, reason);
      return;
    }
    this.scheduleReconnect(code, reason);
  }

  private scheduleReconnect(code: number, reason: string): void {
    this.socket = null;
    const delay = backoffDelay(this.attempt, this.options.random, this.options.backoff);
    this.attempt += 1;
    this.setState({ state: 'reconnecting', retryInMs: delay, attempt: this.attempt, code, reason });
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) this.openSocket();
    }, delay);
  }

  private setState(change: StateChange): void {
    this.currentState = change.state;
    this.handlers.state(change);
  }
}
