import { h } from './dom';

const STORAGE_KEY = 'parley.notifications';

/**
 * Opt-in browser notifications (DMs and mentions of one's name): off until the
 * user turns them on here, which asks the browser's permission. The choice is
 * remembered in localStorage; a denied permission turns the switch off.
 */
export class NotificationSwitch {
  readonly element: HTMLButtonElement;
  private enabled: boolean;

  constructor() {
    this.enabled = supported() && Notification.permission === 'granted' && readChoice();
    this.element = h('button', { type: 'button', class: 'link-button', 'data-testid': 'notifications-toggle' });
    this.element.addEventListener('click', () => void this.toggle());
    this.render();
  }

  show(title: string, body: string, onClick: () => void): void {
    if (!this.enabled || !supported() || Notification.permission !== 'granted') return;
    const notification = new Notification(title, { body: body.length > 200 ? `${body.slice(0, 199)}…` : body, tag: title });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  }

  private async toggle(): Promise<void> {
    if (!supported()) return;
    if (this.enabled) {
      this.enabled = false;
    } else {
      const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
      this.enabled = permission === 'granted';
    }
    try {
      localStorage.setItem(STORAGE_KEY, this.enabled ? 'on' : 'off');
    } catch {
      // Storage may be disabled; the choice then lasts for this page only.
    }
    this.render();
  }

  private render(): void {
    const available = supported() && Notification.permission !== 'denied';
    this.element.disabled = !available;
    this.element.textContent = this.enabled ? 'Notifications on' : 'Notifications off';
    this.element.setAttribute('aria-pressed', this.enabled ? 'true' : 'false');
    this.element.title = available
      ? 'Browser notifications for direct messages and mentions of your name'
      : 'This browser blocks notifications for Parley';
  }
}

function supported(): boolean {
  return typeof Notification === 'function';
}

function readChoice(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}
