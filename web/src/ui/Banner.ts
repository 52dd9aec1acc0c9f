import { h } from './dom';

/**
 * A one-line message at the top of a view: errors (`error-banner`) and notices.
 * Hidden with the `hidden` attribute when empty, dismissible, and cleared after a
 * while so that an old error does not sit next to a working chat.
 */
export class Banner {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(testId: string, variant: 'error' | 'info', private readonly visibleMs = 8_000) {
    this.text = h('span', { class: 'banner-text' });
    const close = h('button', { type: 'button', class: 'banner-close', 'aria-label': 'Dismiss' }, '×');
    close.addEventListener('click', () => this.clear());
    this.element = h(
      'div',
      {
        class: `banner banner-${variant}`,
        'data-testid': testId,
        role: variant === 'error' ? 'alert' : 'status',
        hidden: true,
      },
      this.text,
      close,
    );
  }

  show(message: string): void {
    this.text.textContent = message;
    this.element.hidden = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clear(), this.visibleMs);
  }

  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.text.textContent = '';
    this.element.hidden = true;
  }
}
