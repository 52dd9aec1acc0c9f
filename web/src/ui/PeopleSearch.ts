import type { Api, User } from '../api';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { h, replaceChildren } from './dom';

/** Pause after the last keystroke before asking the server, so typing a name costs one request, not one per letter. */
const SEARCH_DELAY_MS = 200;

export interface PeopleSearchOptions {
  api: Api;
  /** The field's visible label, e.g. "Add member" or "New message". */
  label: string;
  /** What a result button does, e.g. "Add" or "Message". */
  actionLabel: string;
  onPick(user: User): Promise<void>;
  onError(error: unknown): void;
  clock?: Clock;
}

/**
 * A name field (`people-search`) that lists the people the user shares a
 * workspace with whose username or display name contains what was typed
 * (`GET /api/users?query=`); each match (`people-result`) is a button.
 */
export class PeopleSearch {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly results: HTMLUListElement;
  private readonly clock: Clock;
  private timer: TimerHandle | null = null;
  /** Incremented per request, so that a slow answer to an older query is dropped. */
  private generation = 0;

  constructor(private readonly options: PeopleSearchOptions) {
    this.clock = options.clock ?? systemClock;
    const id = `people-search-${Math.random().toString(36).slice(2, 10)}`;
    this.input = h('input', {
      id,
      type: 'search',
      'data-testid': 'people-search',
      placeholder: 'Type a name',
      autocomplete: 'off',
      maxlength: 64,
    });
    this.results = h('ul', { class: 'people-results', 'aria-label': `${options.label}: matches`, 'aria-live': 'polite' });
    this.element = h('div', { class: 'people-search' }, h('label', { for: id }, options.label), this.input, this.results);
    this.input.addEventListener('input', () => this.schedule());
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.clear();
    });
  }

  clear(): void {
    this.input.value = '';
    this.generation += 1;
    this.results.replaceChildren();
  }

  private schedule(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.search(this.input.value.trim());
    }, SEARCH_DELAY_MS);
  }

  private async search(query: string): Promise<void> {
    const generation = ++this.generation;
    if (!query) {
      this.results.replaceChildren();
      return;
    }
    try {
      const users = await this.options.api.searchUsers(query);
      if (generation !== this.generation) return;
      if (users.length === 0) {
        replaceChildren(this.results, h('li', { class: 'muted' }, `Nobody in your workspaces matches “${query}”.`));
        return;
      }
      replaceChildren(this.results, ...users.map((user) => this.result(user)));
    } catch (error) {
      if (generation === this.generation) this.options.onError(error);
    }
  }

  private result(user: User): HTMLElement {
    const name = user.displayName && user.displayName !== user.username ? `${user.displayName} (@${user.username})` : `@${user.username}`;
    const button = h(
      'button',
      { type: 'button', class: 'people-result', 'data-testid': 'people-result', 'data-user-id': user.id, 'aria-label': `${this.options.actionLabel} ${name}` },
      name,
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      this.options
        .onPick(user)
        .then(() => this.clear())
        .catch((error: unknown) => this.options.onError(error))
        .finally(() => (button.disabled = false));
    });
    return h('li', {}, button);
  }
}
