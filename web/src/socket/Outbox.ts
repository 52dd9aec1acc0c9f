import type { MessageType } from './protocol';

/** A send that the server has not confirmed yet. */
export interface OutboxEntry {
  readonly clientMsgId: string;
  readonly channelId: number;
  readonly content: string;
  readonly messageType: MessageType;
  readonly fileUrl?: string;
  /**
   * The connection this entry was last written to, or null if never written.
   * An entry is written at most once per connection; a new connection writes it
   * again, which is safe because the server de-duplicates by clientMsgId.
   */
  sentOnConnection: number | null;
}

/**
 * Sends waiting for their echo, in the order they were made. An entry leaves only
 * when the echoed `new_message` carrying its clientMsgId arrives, or when the
 * server refuses it; a dropped connection never loses it.
 */
export class Outbox {
  // A Map keeps insertion order, which is the order the user sent in.
  private readonly entries = new Map<string, OutboxEntry>();

  get size(): number {
    return this.entries.size;
  }

  has(clientMsgId: string): boolean {
    return this.entries.has(clientMsgId);
  }

  get(clientMsgId: string): OutboxEntry | undefined {
    return this.entries.get(clientMsgId);
  }

  add(entry: OutboxEntry): void {
    this.entries.set(entry.clientMsgId, entry);
  }

  remove(clientMsgId: string): OutboxEntry | undefined {
    const entry = this.entries.get(clientMsgId);
    this.entries.delete(clientMsgId);
    return entry;
  }

  forChannel(channelId: number): OutboxEntry[] {
    return [...this.entries.values()].filter((entry) => entry.channelId === channelId);
  }

  all(): OutboxEntry[] {
    return [...this.entries.values()];
  }
}
