import type { PresenceStore } from '../presence';
import { h, replaceChildren } from './dom';
import { presenceDot } from './presenceDot';

/** The open channel's title and the people seen in it, each with a presence dot. */
export class ChannelHeader {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly topic: HTMLElement;
  private readonly people: HTMLElement;
  private readonly seen = new Map<number, string>();

  constructor(private readonly presence: PresenceStore) {
    this.title = h('h2', { class: 'channel-title', 'data-testid': 'channel-title' }, 'No channel open');
    this.topic = h('p', { class: 'channel-topic', 'data-testid': 'channel-topic', hidden: true });
    this.people = h('ul', { class: 'people', 'data-testid': 'people', 'aria-label': 'People seen in this channel' });
    this.element = h('header', { class: 'channel-header' }, h('div', { class: 'channel-heading' }, this.title, this.topic), this.people);
  }

  /** A new channel: forget the people of the previous one. */
  reset(title: string | null, me?: { id: number; username: string }, topic: string | null = null): void {
    this.title.textContent = title ?? 'No channel open';
    this.topic.textContent = topic ?? '';
    this.topic.hidden = !topic;
    this.seen.clear();
    if (title !== null && me) this.seen.set(me.id, me.username);
    this.render();
  }

  /** A user seen through user_presence in this channel. */
  addPerson(userId: number, username: string): void {
    if (this.seen.get(userId) === username) return;
    this.seen.set(userId, username);
    this.render();
  }

  private render(): void {
    const items = [...this.seen].map(([userId, username]) =>
      h('li', { class: 'person', 'data-user-id': userId }, presenceDot(userId, this.presence.status(userId)), username),
    );
    replaceChildren(this.people, ...items);
  }
}
