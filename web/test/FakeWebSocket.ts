import type { WebSocketCtor, WebSocketLike } from '../src/socket/WebSocketLike';

/**
 * A scripted WebSocket: the test plays the server (open, receive, drop) and reads
 * what the client wrote. Each call of fakeWebSockets() gets its own registry.
 */
export interface FakeSocket extends WebSocketLike {
  readonly url: string;
  readonly sent: string[];
  /** The parsed frames the client wrote. */
  frames(): Record<string, unknown>[];
  open(): void;
  receive(event: object): void;
  drop(code?: number, reason?: string): void;
  closedByClient: { code?: number; reason?: string } | null;
}

export function fakeWebSockets(): { WebSocket: WebSocketCtor; sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];

  class FakeWebSocket implements FakeSocket {
    readyState = 0;
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;
    readonly sent: string[] = [];
    closedByClient: { code?: number; reason?: string } | null = null;

    constructor(readonly url: string) {
      sockets.push(this);
    }

    send(data: string): void {
      // Like a browser: sending before the socket is open is a programming error.
      if (this.readyState !== 1) throw new Error(`send() in readyState ${this.readyState}`);
      this.sent.push(data);
    }

    close(code?: number, reason?: string): void {
      this.closedByClient = { code, reason };
      this.readyState = 3;
    }

    frames(): Record<string, unknown>[] {
      return this.sent.map((frame) => JSON.parse(frame) as Record<string, unknown>);
    }

    open(): void {
      this.readyState = 1;
      this.onopen?.({});
    }

    receive(event: object): void {
      this.onmessage?.({ data: JSON.stringify(event) });
    }

    drop(code = 1006, reason = ''): void {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
  }

  return {
    WebSocket: FakeWebSocket,
    sockets,
    last: () => {
      const socket = sockets[sockets.length - 1];
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
  };
}
