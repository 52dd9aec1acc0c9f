import type { ChatMessage } from './socket/protocol';

/**
 * Unread messages per channel and DM: seeded from the server's counts
 * (`GET /api/channels/:id/unread`), then kept live from the gateway's
 * MESSAGE_CREATE. A message counts when someone else wrote it and the user is
 * not looking at its channel (open and the tab visible); opening a channel
 * clears its count, since the message list marks what comes on screen read.
 */
export class UnreadTracker {
  private readonly counts = new Map<number, number>();
  private readonly counted = new Set<number>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly myUserId: number) {}

  /** The server's count at start; live messages already counted are not added twice. */
  seed(channelId: number, count: number): void {
    this.counts.set(channelId, Math.max(0, count));
    this.changed();
  }

  /** A live message; true when it counted as unread. */
  onMessage(message: ChatMessage, looking: { channelId: number | null; visible: boolean }): boolean {
    if (message.authorId === this.myUserId || this.counted.has(message.id)) return false;
    if (looking.visible && looking.channelId === message.channelId) return false;
    this.counted.add(message.id);
    this.counts.set(message.channelId, (this.counts.get(message.channelId) ?? 0) + 1);
    this.changed();
    return true;
  }

  /** A deleted message that was counted no longer is. */
  onDeleted(messageId: number, channelId: number): void {
    if (!this.counted.delete(messageId)) return;
    this.counts.set(channelId, Math.max(0, (this.counts.get(channelId) ?? 0) - 1));
    this.changed();
  }

  clear(channelId: number): void {
    if (!this.counts.get(channelId)) return;
    this.counts.set(channelId, 0);
    this.changed();
  }

  count(channelId: number): number {
    return this.counts.get(channelId) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The tab title: "(3) Parley" while 3 messages are unread. */
export function titleWithUnread(base: string, total: number): string {
  return total > 0 ? `(${total}) ${base}` : base;
}

/** A badge's text: counts above 99 are shown as "99+". */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}
