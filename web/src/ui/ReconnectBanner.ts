import type { StateChange } from '../socket/ChatSocketClient';
import { h } from './dom';

/**
 * Shown only while the chat socket is reconnecting (hidden attribute otherwise).
 * Messages typed meanwhile wait in the outbox, which the text says so users do
 * not retype them.
 */
export class ReconnectBanner {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;

  constructor(onRetryNow: () => void) {
    this.text = h('span', {}, 'Connection lost. Reconnecting…');
    const retry = h('button', { type: 'button', class: 'link-button', 'data-testid': 'reconnect-now' }, 'Retry now');
    retry.addEventListener('click', onRetryNow);
    this.element = h(
      'div',
      { class: 'banner banner-warning', 'data-testid': 'reconnect-banner', role: 'status', hidden: true },
      this.text,
      ' ',
      retry,
    );
  }

  update(change: StateChange): void {
    if (change.state !== 'reconnecting') {
      this.element.hidden = true;
      return;
    }
    const seconds = change.retryInMs !== undefined ? Math.max(1, Math.round(change.retryInMs / 1000)) : undefined;
    const when = seconds !== undefined ? ` Next attempt in ${seconds} s.` : '';
    this.text.textContent = `Connection lost. Reconnecting…${when} Messages you send now will be delivered once connected.`;
    this.element.hidden = false;
  }
}
