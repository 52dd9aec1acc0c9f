import type { TypingUsers } from '../typing';
import { h } from './dom';

/** Renders "Ana is typing…" and re-renders when the next entry expires. */
export class TypingIndicatorView {
  readonly element: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly users: TypingUsers) {
    this.element = h('div', { class: 'typing-indicator', 'data-testid': 'typing-indicator', 'aria-live': 'polite' });
  }

  update(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.element.textContent = this.users.text();
    const next = this.users.nextExpiryIn();
    // Entries expire silently (no event), so wake up when the next one does.
    if (next !== null) this.timer = setTimeout(() => this.update(), next + 50);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
