import type { PresenceStatus } from './socket/protocol';

export type KnownStatus = PresenceStatus | 'unknown';

/**
 * Who has been seen online or offline through `user_presence`. The protocol
 * announces changes only, so a user not seen since we joined stays `unknown`.
 */
export class PresenceStore {
  private readonly statuses = new Map<number, PresenceStatus>();
  private readonly listeners = new Set<(userId: number, status: KnownStatus) => void>();

  set(userId: number, status: PresenceStatus): void {
    const previous = this.statuses.get(userId);
    this.statuses.set(userId, status);
    if (previous === status) return;
    for (const listener of [...this.listeners]) listener(userId, status);
  }

  /**
   * After our own connection was lost we may have missed changes, and nobody
   * re-announces presence to us: everyone else becomes `unknown` rather than stale.
   */
  forgetOthers(myUserId: number): void {
    for (const userId of [...this.statuses.keys()]) {
      if (userId === myUserId) continue;
      this.statuses.delete(userId);
      for (const listener of [...this.listeners]) listener(userId, 'unknown');
    }
  }

  status(userId: number): KnownStatus {
    return this.statuses.get(userId) ?? 'unknown';
  }

  onChange(listener: (userId: number, status: KnownStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
