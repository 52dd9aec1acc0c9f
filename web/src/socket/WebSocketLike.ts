/**
 * The part of the browser WebSocket that ChatSocketClient uses, so tests can inject
 * a fake class. The DOM `WebSocket` constructor satisfies `WebSocketCtor` as is.
 */

// Handler parameters are compared bivariantly (method-style) so that the DOM's
// handlers, typed with the full MessageEvent/CloseEvent, stay assignable to these
// narrower shapes.
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ readonly data: unknown }> | null;
  onclose: Handler<{ readonly code: number; readonly reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketCtor = new (url: string) => WebSocketLike;

/** WebSocket.OPEN; a constant here so the client never touches the global. */
export const SOCKET_OPEN = 1;

/** `ws://host/ws/chat` or `wss://host/ws/chat` for the page's own origin. */
export function chatSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/chat`;
}
