import type { KnownStatus } from '../presence';
import { h } from './dom';

const LABELS: Record<KnownStatus, string> = {
  online: 'online',
  offline: 'offline',
  unknown: 'status unknown',
};

/** A dot showing a user's presence; `updatePresenceDots` keeps every dot of a user current. */
export function presenceDot(userId: number, status: KnownStatus): HTMLElement {
  return h('span', {
    class: `presence-dot presence-${status}`,
    'data-testid': 'presence-dot',
    'data-user-id': userId,
    'data-status': status,
    title: LABELS[status],
    'aria-label': LABELS[status],
    role: 'img',
  });
}

export function updatePresenceDots(root: ParentNode, userId: number, status: KnownStatus): void {
  for (const dot of root.querySelectorAll<HTMLElement>(`[data-testid="presence-dot"][data-user-id="${userId}"]`)) {
    dot.className = `presence-dot presence-${status}`;
    dot.dataset.status = status;
    dot.title = LABELS[status];
    dot.setAttribute('aria-label', LABELS[status]);
  }
}
