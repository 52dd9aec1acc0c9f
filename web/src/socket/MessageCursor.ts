import type { ChatMessage } from './protocol';

/** How many message ids are remembered for de-duplication of seq-less messages. */
const REMEMBERED_IDS = 5_000;

/**
 * Remembers, per channel, the last `seq` seen, so that a rejoin can ask for
 * exactly what was missed (`since`) and a replay that overlaps what was already
 * shown is dropped.
 *
 * Within a channel the server delivers messages in `seq` order without gaps, so a
 * message whose seq is not above the cursor has been seen. Message ids are also
 * remembered (a bounded set) for servers that do not send `seq`.
 */
export class MessageCursor {
  private readonly lastSeq = new Map<number, number>();
  private readonly seenIds = new Set<number>();

  /** The last seq seen in the channel, or undefined if none is known. */
  get(channelId: number): number | undefined {
    return this.lastSeq.get(channelId);
  }

  /** Sets the cursor explicitly, e.g. to the newest message of freshly loaded history. */
  set(channelId: number, seq: number): void {
    this.lastSeq.set(channelId, seq);
  }

  forget(channelId: number): void {
    this.lastSeq.delete(channelId);
  }

  /** Records the message and tells whether it is new (true) or a duplicate (false). */
  accept(channelId: number, message: ChatMessage): boolean {
    const last = this.lastSeq.get(channelId);
    if (typeof message.seq === 'number' && last !== undefined && message.seq <= last) return false;
    if (this.seenIds.has(message.id)) return false;

    if (typeof message.seq === 'number') this.lastSeq.set(channelId, Math.max(last ?? 0, message.seq));
    this.rememberId(message.id);
    return true;
  }

  private rememberId(id: number): void {
    this.seenIds.add(id);
    if (this.seenIds.size > REMEMBERED_IDS) {
      // Sets iterate in insertion order, so the first value is the oldest id.
      const oldest = this.seenIds.values().next();
      if (!oldest.done) this.seenIds.delete(oldest.value);
    }
  }
}
