import { h } from './dom';

export interface ComposerHandlers {
  /** Returns true if the text was accepted (the composer then clears). */
  onSend(text: string): boolean;
  /** Every edit that leaves text in the composer. */
  onKeystroke(): void;
  /** The composer lost focus or was emptied: the user is not typing. */
  onIdle(): void;
}

/** The message textarea: Enter sends, Shift+Enter makes a new line. */
export class Composer {
  readonly element: HTMLFormElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly button: HTMLButtonElement;
  private readonly reason: HTMLElement;

  constructor(private readonly handlers: ComposerHandlers) {
    this.textarea = h('textarea', {
      class: 'composer-input',
      'data-testid': 'composer',
      rows: 2,
      placeholder: 'Pick a channel to start chatting',
      'aria-label': 'Message',
      disabled: true,
    });
    this.button = h('button', { type: 'submit', 'data-testid': 'send-button', disabled: true }, 'Send');
    this.reason = h('p', { class: 'composer-reason', id: 'composer-reason', 'data-testid': 'composer-disabled-reason', hidden: true });
    this.element = h('form', { class: 'composer', 'aria-label': 'Write a message' }, this.reason, this.textarea, this.button);

    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.textarea.addEventListener('keydown', (event) => {
      // isComposing: Enter that confirms an IME composition must not send.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.textarea.addEventListener('input', () => {
      if (this.textarea.value.trim()) this.handlers.onKeystroke();
      else this.handlers.onIdle();
    });
    this.textarea.addEventListener('blur', () => this.handlers.onIdle());
  }

  /**
   * The channel written to, or null for none. With `refusal`, the channel is open but the server would refuse
   * the user's posts (an announcement channel for a plain member): the composer stays disabled and says why.
   */
  setChannel(title: string | null, refusal?: string): void {
    const enabled = title !== null && !refusal;
    this.textarea.disabled = !enabled;
    this.button.disabled = !enabled;
    this.textarea.placeholder = title === null ? 'Pick a channel to start chatting' : refusal ? refusal : `Message ${title}`;
    this.reason.textContent = refusal ?? '';
    this.reason.hidden = !refusal;
    if (refusal) this.textarea.setAttribute('aria-describedby', 'composer-reason');
    else this.textarea.removeAttribute('aria-describedby');
    this.textarea.value = '';
  }

  focus(): void {
    this.textarea.focus();
  }

  private submit(): void {
    const text = this.textarea.value;
    if (!text.trim()) return;
    if (this.handlers.onSend(text)) this.textarea.value = '';
  }
}
