/** A request written to the current socket that the server has not answered yet. */
export type PendingRequest =
  | { kind: 'join'; channelId: number }
  | { kind: 'leave'; channelId: number }
  | { kind: 'send'; channelId: number; clientMsgId: string };

/**
 * Attributes `error` events to the request that caused them.
 *
 * The server's `error` event carries no request id, but the server handles one
 * socket's frames in order and answers each join/leave/send with either its
 * success event or an error. So when an error arrives, every earlier request has
 * already been answered and the oldest unanswered one is the refused one.
 * (typing and mark_read are not tracked: they have no success answer, and the
 * client only sends them on channels it has joined, where they do not fail.)
 */
export class PendingRequests {
  private queue: PendingRequest[] = [];

  push(request: PendingRequest): void {
    this.queue.push(request);
  }

  /** Removes the oldest request matching `predicate`; true if one was found. */
  resolve(predicate: (request: PendingRequest) => boolean): boolean {
    const index = this.queue.findIndex(predicate);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    return true;
  }

  /** Removes and returns the oldest unanswered request (the one an error refers to). */
  shift(): PendingRequest | undefined {
    return this.queue.shift();
  }

  /** A new connection starts with nothing in flight. */
  clear(): void {
    this.queue = [];
  }
}
