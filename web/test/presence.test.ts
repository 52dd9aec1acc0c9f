import { describe, expect, it } from 'vitest';
import { PresenceStore } from '../src/presence';

describe('PresenceStore', () => {
  it('reports changes only, and forgets others (not oneself) after a reconnect', () => {
    const presence = new PresenceStore();
    const changes: string[] = [];
    presence.onChange((userId, status) => changes.push(`${userId}:${status}`));
    presence.set(1, 'online');
    presence.set(2, 'online');
    presence.set(2, 'online');
    presence.set(2, 'offline');
    expect(presence.status(3)).toBe('unknown');

    presence.forgetOthers(1);
    expect(presence.status(1)).toBe('online');
    expect(presence.status(2)).toBe('unknown');
    expect(changes).toEqual(['1:online', '2:online', '2:offline', '2:unknown']);
  });
});
