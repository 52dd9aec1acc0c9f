import { ApiError, type Api, type User } from '../api';
import { describeHttpError } from '../errors';
import { Banner } from './Banner';
import { h } from './dom';

/** Server rule for new passwords (PROTOCOL.md section 4); checked here to answer at once. */
const MIN_PASSWORD_LENGTH = 8;

/** Log in or register (registering logs in right after). */
export class LoginView {
  readonly element: HTMLElement;
  private readonly error = new Banner('error-banner', 'error', 15_000);
  private readonly username: HTMLInputElement;
  private readonly password: HTMLInputElement;
  private busy = false;

  constructor(
    private readonly api: Api,
    private readonly onLoggedIn: (user: User) => void,
    message?: string,
  ) {
    this.username = h('input', {
      'data-testid': 'login-username',
      name: 'username',
      autocomplete: 'username',
      required: true,
      autofocus: true,
    });
    this.password = h('input', {
      'data-testid': 'login-password',
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const login = h('button', { type: 'submit', 'data-testid': 'login-submit' }, 'Log in');
    const register = h('button', { type: 'button', class: 'secondary', 'data-testid': 'register-submit' }, 'Register');

    const form = h(
      'form',
      { class: 'login-form', 'aria-label': 'Log in' },
      h('h1', {}, 'Parley'),
      this.error.element,
      h('label', {}, 'Username', this.username),
      h('label', {}, 'Password', this.password),
      h('div', { class: 'actions' }, login, register),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run(() => this.login());
    });
    register.addEventListener('click', () => {
      if (form.reportValidity()) void this.run(() => this.register());
    });
    this.element = h('main', { class: 'login' }, form);
    if (message) this.error.show(message);
  }

  private async login(): Promise<void> {
    const user = await this.api.login(this.username.value.trim(), this.password.value);
    this.onLoggedIn(user);
  }

  private async register(): Promise<void> {
    const username = this.username.value.trim();
    if (this.password.value.length < MIN_PASSWORD_LENGTH) {
      this.error.show(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    await this.api.register(username, this.password.value);
    await this.login();
  }

  /** Runs one action at a time and shows its failure. */
  private async run(action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error.clear();
    try {
      await action();
    } catch (error) {
      const text =
        error instanceof ApiError
          ? describeHttpError(error.status, error.message, error.retryAfter)
          : 'Something went wrong. Please try again.';
      this.error.show(text);
    } finally {
      this.busy = false;
    }
  }
}
