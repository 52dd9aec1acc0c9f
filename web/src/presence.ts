import type { PresenceStatus } from './socket/protocol';

export type KnownStatus = PresenceStatus | 'unknown';

/**
 * Who has been seen online or offline through `user_presence`. The protocol
 * announces changes only, so a user not seen since we joined stays `unknown`.
 */
export class PresenceStore {
  private readonly statuses = new Map<number, { username: string; status: PresenceStatus }>();
  private readonly listeners = new Set<(userId: number, status: PresenceStatus) => void>();

  set(userId: number, username: string, status: PresenceStatus): void {
    const previous = this.statuses.get(userId);
    this.statuses.set(userId, { username, status });
    if (previous?.status === status) return;
    for (const listener of [...this.listeners]) listener(userId, status);
  }

  status(userId: number): KnownStatus {
    return this.statuses.get(userId)?.status ?? 'unknown';
  }

  /** Users seen so far, online first, then by name. */
  seen(): { userId: number; username: string; status: PresenceStatus }[] {
    return [...this.statuses]
      .map(([userId, entry]) => ({ userId, ...entry }))
      .sort((a, b) => (a.status === b.status ? a.username.localeCompare(b.username) : a.status === 'online' ? -1 : 1));
  }

  onChange(listener: (userId: number, status: PresenceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
