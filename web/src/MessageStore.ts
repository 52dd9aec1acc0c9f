import type { ChatMessage } from './socket/protocol';

/** A message shown before the server confirmed it, keyed by its clientMsgId. */
export interface PendingMessage {
  clientMsgId: string;
  content: string;
  /** Why the server refused it, once it has. */
  failure?: string;
}

export type DisplayItem =
  | { kind: 'message'; key: string; message: ChatMessage }
  | { kind: 'pending'; key: string; pending: PendingMessage };

/**
 * The messages of the open channel: history loaded over HTTP, live messages from
 * the socket, and the user's own unconfirmed sends. History and live delivery
 * overlap, so messages are keyed by id; a confirmed send takes the place of its
 * pending entry (same key) so the list does not jump.
 */
export class MessageStore {
  private readonly byId = new Map<number, ChatMessage>();
  private readonly pending = new Map<string, PendingMessage>();

  constructor(private readonly myUserId: number) {}

  get size(): number {
    return this.byId.size;
  }

  /** Adds or updates messages; returns how many were new. */
  add(messages: readonly ChatMessage[]): number {
    let added = 0;
    for (const message of messages) {
      if (!this.byId.has(message.id)) added += 1;
      this.byId.set(message.id, message);
      if (message.clientMsgId && message.authorId === this.myUserId) this.pending.delete(message.clientMsgId);
    }
    return added;
  }

  addPending(clientMsgId: string, content: string): void {
    this.pending.set(clientMsgId, { clientMsgId, content });
  }

  failPending(clientMsgId: string, failure: string): boolean {
    const entry = this.pending.get(clientMsgId);
    if (!entry) return false;
    entry.failure = failure;
    return true;
  }

  /** Clears a failure before a retry. */
  retryPending(clientMsgId: string): PendingMessage | undefined {
    const entry = this.pending.get(clientMsgId);
    if (entry) delete entry.failure;
    return entry;
  }

  /**
   * An edited message (the HTTP answer, `message_updated` or MESSAGE_UPDATE, in any order and repeated): takes its
   * content and edit time when it is not older than what is shown; read receipts stay as tracked here. True if it
   * changed anything.
   */
  applyEdit(edited: ChatMessage): boolean {
    const shown = this.byId.get(edited.id);
    if (!shown || !edited.editedAt) return false;
    if (shown.editedAt && Date.parse(shown.editedAt) > Date.parse(edited.editedAt)) return false;
    if (shown.editedAt === edited.editedAt && shown.content === edited.content) return false;
    this.byId.set(edited.id, { ...shown, content: edited.content, editedAt: edited.editedAt });
    return true;
  }

  remove(messageId: number): boolean {
    return this.byId.delete(messageId);
  }

  /**
   * Forgets the messages up to `seq`: after a truncated replay they are separated
   * from the newest ones by messages the socket skipped, and paging older
   * history from the oldest loaded message then fills the gap instead of missing it.
   */
  forgetThrough(seq: number): void {
    for (const [id, message] of this.byId) {
      if (typeof message.seq === 'number' && message.seq <= seq) this.byId.delete(id);
    }
  }

  get(messageId: number): ChatMessage | undefined {
    return this.byId.get(messageId);
  }

  /** Records a read receipt; true if it changed anything. */
  markRead(messageId: number, userId: number): boolean {
    const message = this.byId.get(messageId);
    if (!message || message.readBy.includes(userId)) return false;
    message.readBy = [...message.readBy, userId];
    return true;
  }

  /** The id of the oldest loaded message: the `before` for loading older history. */
  oldestId(): number | undefined {
    return this.sorted()[0]?.id;
  }

  /** The seq of the newest loaded message (the `since` for joining), if the server sends seqs. */
  newestSeq(): number | undefined {
    let newest: number | undefined;
    for (const message of this.byId.values()) {
      if (typeof message.seq === 'number' && (newest === undefined || message.seq > newest)) newest = message.seq;
    }
    return newest;
  }

  /** Confirmed messages in channel order, then pending sends in the order they were made. */
  items(): DisplayItem[] {
    const confirmed: DisplayItem[] = this.sorted().map((message) => ({
      kind: 'message',
      key: MessageStore.keyOf(message),
      message,
    }));
    const pending: DisplayItem[] = [...this.pending.values()].map((entry) => ({
      kind: 'pending',
      key: `c:${this.myUserId}:${entry.clientMsgId}`,
      pending: entry,
    }));
    return [...confirmed, ...pending];
  }

  private static keyOf(message: ChatMessage): string {
    // The same key as the pending entry it replaces, so its element is reused.
    // clientMsgIds are only unique per author, hence the author in the key.
    return message.clientMsgId ? `c:${message.authorId}:${message.clientMsgId}` : `m:${message.id}`;
  }

  private sorted(): ChatMessage[] {
    // seq is the channel's order; ids (assigned in insert order) stand in without it.
    const order = (message: ChatMessage) => message.seq ?? message.id;
    return [...this.byId.values()].sort((a, b) => order(a) - order(b) || a.id - b.id);
  }
}
