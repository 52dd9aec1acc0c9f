import type { ChatErrorEvent } from './protocol';

/** Error codes that may answer a join, leave or send of a server that copies no requestId. */
const REQUEST_ERROR_CODES = new Set([
  'bad_request',
  'not_found',
  'forbidden',
  'not_joined',
  'rate_limited',
  'too_large',
  'internal',
]);

/** A request written to the current socket that the server has not answered yet. */
export type PendingRequest =
  | { kind: 'join'; channelId: number; requestId: string }
  | { kind: 'leave'; channelId: number; requestId: string }
  | { kind: 'send'; channelId: number; clientMsgId: string; requestId: string };

/**
 * The joins, leaves and sends of the current socket that await their answer, and
 * the `requestId`s they were written with.
 *
 * Every request frame carries a fresh `requestId` (ext), which the server copies
 * onto its answer (`joined_channel`, `left_channel`, the sender's `new_message`
 * echo, `error`), so an answer is matched to its request by id, never by order,
 * and sends can be pipelined. A server that copies no id (a seed-compatible one)
 * still answers a socket's requests in the order it received them: then an answer
 * belongs to the oldest unanswered request it fits.
 * (typing, stop_typing and mark_read carry an id too but are not tracked: they
 * have no success answer to wait for.)
 */
export class PendingRequests {
  private queue: PendingRequest[] = [];
  private issued = 0;

  /** A requestId never used before by this client (so unique on every connection). */
  nextId(): string {
    this.issued += 1;
    return `r${this.issued}`;
  }

  push(request: PendingRequest): void {
    this.queue.push(request);
  }

  /**
   * Takes out the request an answer belongs to: the one with `requestId` when the
   * answer carries one (none when that request is not pending, e.g. a typing
   * frame's error); without, the oldest pending one that `fits`.
   */
  answer(requestId: string | undefined, fits: (request: PendingRequest) => boolean): PendingRequest | undefined {
    const index = requestId === undefined
      ? this.queue.findIndex(fits)
      : this.queue.findIndex((request) => request.requestId === requestId && fits(request));
    if (index < 0) return undefined;
    const [request] = this.queue.splice(index, 1);
    return request;
  }

  /**
   * Takes out the request an `error` refuses, if any. Without a requestId, errors
   * about the connection itself (unauthorized) or about frames the client never
   * sends (invalid_json, unknown_type) answer no request.
   */
  answerError(event: ChatErrorEvent): PendingRequest | undefined {
    if (event.requestId === undefined && event.code !== undefined && !REQUEST_ERROR_CODES.has(event.code)) return undefined;
    return this.answer(event.requestId, () => true);
  }

  /** The number of sends written and not answered yet. */
  get sendsInFlight(): number {
    return this.queue.filter((request) => request.kind === 'send').length;
  }

  /** A new connection starts with nothing in flight. */
  clear(): void {
    this.queue = [];
  }
}
