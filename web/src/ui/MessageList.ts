import type { DisplayItem } from '../MessageStore';
import type { PresenceStore } from '../presence';
import type { ChatMessage } from '../socket/protocol';
import { formatTime, h, replaceChildren } from './dom';
import { presenceDot } from './presenceDot';

export interface MessageListOptions {
  me: { id: number; username: string };
  presence: PresenceStore;
  /** Loads the page before the oldest shown message; the list re-renders through ChatView. */
  loadOlder(): Promise<void>;
  /** A message of another user that is on screen, for read receipts. */
  onSeen(message: ChatMessage): void;
  onRetry(clientMsgId: string): void;
  onDelete(messageId: number): void;
}

/** How the scroll position follows a render. */
export type ScrollMode = 'bottom' | 'follow' | 'keep-anchor';

/** Distance from the top (px) at which older history is fetched. */
const LOAD_OLDER_THRESHOLD = 80;
/** Distance from the bottom (px) within which the list keeps following new messages. */
const FOLLOW_THRESHOLD = 80;

/**
 * The open channel's messages. Elements are kept per message key and reused
 * across renders, so a confirmed send replaces its pending entry in place and
 * prepending history does not rebuild the list.
 */
export class MessageList {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly top: HTMLElement;
  private readonly elements = new Map<string, HTMLLIElement>();
  /** What each element was last rendered from, to skip unchanged ones. */
  private readonly signatures = new WeakMap<Element, string>();
  /** Elements of unread messages of others that wait to be seen. */
  private readonly unseen = new Map<Element, ChatMessage>();
  private readonly observer: IntersectionObserver | null;
  private isDm = false;
  private hasMore = false;
  private loading = false;

  constructor(private readonly options: MessageListOptions) {
    this.list = h('ol', { class: 'messages', 'data-testid': 'message-list' });
    this.top = h('div', { class: 'history-top' });
    this.element = h('div', { class: 'message-scroll' }, this.top, this.list);
    this.element.addEventListener('scroll', () => {
      if (this.element.scrollTop < LOAD_OLDER_THRESHOLD) this.triggerLoadOlder();
    });

    this.observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => this.handleIntersections(entries), { root: this.element, threshold: 0.5 })
        : null;
    // Messages that arrived while the tab was hidden were not seen: re-observe
    // them so the observer reports again those that are on screen now.
    document.addEventListener('visibilitychange', this.handleVisibilityChange);
  }

  /** Empties the list for another channel. */
  reset(isDm: boolean): void {
    this.isDm = isDm;
    this.hasMore = false;
    this.loading = false;
    this.observer?.disconnect();
    this.unseen.clear();
    this.elements.clear();
    this.list.replaceChildren();
    this.renderTop();
  }

  setHasMore(hasMore: boolean): void {
    this.hasMore = hasMore;
    this.renderTop();
  }

  render(items: readonly DisplayItem[], scroll: ScrollMode): void {
    const wasNearBottom =
      this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < FOLLOW_THRESHOLD;
    const previousHeight = this.element.scrollHeight;
    const previousTop = this.element.scrollTop;

    const keys = new Set<string>();
    let cursor: ChildNode | null = this.list.firstChild;
    for (const item of items) {
      keys.add(item.key);
      let element = this.elements.get(item.key);
      if (!element) {
        element = h('li', { 'data-testid': 'message' });
        this.elements.set(item.key, element);
      }
      this.update(element, item);
      if (element === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(element, cursor);
    }
    for (const [key, element] of this.elements) {
      if (keys.has(key)) continue;
      this.forgetUnseen(element);
      element.remove();
      this.elements.delete(key);
    }

    if (scroll === 'bottom' || (scroll === 'follow' && wasNearBottom)) {
      this.element.scrollTop = this.element.scrollHeight;
    } else if (scroll === 'keep-anchor') {
      // Older messages were added above: keep what the user was looking at in place.
      this.element.scrollTop = previousTop + (this.element.scrollHeight - previousHeight);
    }
    // A first page that does not fill the view leaves nothing to scroll: load more.
    if (this.hasMore && this.element.scrollHeight <= this.element.clientHeight) this.triggerLoadOlder();
  }

  /** Scrolls to the newest message (after the user sent one). */
  scrollToBottom(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }

  dispose(): void {
    this.observer?.disconnect();
    document.removeEventListener('visibilitychange', this.handleVisibilityChange);
  }

  private triggerLoadOlder(): void {
    if (!this.hasMore || this.loading) return;
    this.loading = true;
    this.renderTop();
    void this.options
      .loadOlder()
      .catch(() => {
        // ChatView reports the error; the button stays for a manual retry.
      })
      .finally(() => {
        this.loading = false;
        this.renderTop();
      });
  }

  private renderTop(): void {
    if (this.loading) {
      replaceChildren(this.top, h('span', { class: 'muted' }, 'Loading older messages…'));
    } else if (this.hasMore) {
      const button = h('button', { type: 'button', class: 'link-button', 'data-testid': 'load-older' }, 'Load older messages');
      button.addEventListener('click', () => this.triggerLoadOlder());
      replaceChildren(this.top, button);
    } else {
      replaceChildren(this.top, h('span', { class: 'muted' }, 'This is the start of the conversation.'));
    }
  }

  private update(element: HTMLLIElement, item: DisplayItem): void {
    const signature = this.signature(item);
    if (this.signatures.get(element) === signature) return;
    this.signatures.set(element, signature);
    if (item.kind === 'message') this.renderMessage(element, item.message);
    else this.renderPending(element, item.pending.clientMsgId, item.pending.content, item.pending.failure);
  }

  private signature(item: DisplayItem): string {
    if (item.kind === 'pending') return `p|${item.pending.content}|${item.pending.failure ?? ''}`;
    const m = item.message;
    return `m|${m.id}|${m.content}|${m.readBy.join(',')}|${m.fileUrl ?? ''}`;
  }

  private renderMessage(element: HTMLLIElement, message: ChatMessage): void {
    const me = this.options.me.id;
    const own = message.authorId === me;
    element.className = own ? 'message own' : 'message';
    element.dataset.messageId = String(message.id);
    element.dataset.authorId = String(message.authorId);
    if (message.seq !== undefined) element.dataset.seq = String(message.seq);
    if (message.clientMsgId) element.dataset.clientMsgId = message.clientMsgId;
    delete element.dataset.pending;

    const footer: Node[] = [];
    if (own) {
      const readers = message.readBy.filter((id) => id !== me).length;
      const receipt = readers === 0 ? '' : this.isDm ? 'Read' : `Read by ${readers}`;
      footer.push(h('span', { class: 'receipt', 'data-testid': 'read-receipt', hidden: receipt === '' }, receipt));
      const remove = h('button', { type: 'button', class: 'link-button', 'data-testid': 'delete-message' }, 'Delete');
      remove.addEventListener('click', () => this.options.onDelete(message.id));
      footer.push(remove);
    }

    replaceChildren(
      element,
      this.meta(message.authorId, message.authorUsername, message.createdAt),
      this.content(message),
      footer.length ? h('div', { class: 'message-footer' }, ...footer) : null,
    );

    this.forgetUnseen(element);
    if (!own && !message.readBy.includes(me)) this.watchUnseen(element, message);
  }

  private renderPending(element: HTMLLIElement, clientMsgId: string, content: string, failure?: string): void {
    element.className = failure ? 'message own failed' : 'message own pending';
    element.dataset.clientMsgId = clientMsgId;
    element.dataset.authorId = String(this.options.me.id);
    element.dataset.pending = 'true';
    delete element.dataset.messageId;

    let status: Node;
    if (failure) {
      const retry = h('button', { type: 'button', class: 'link-button', 'data-testid': 'retry-send' }, 'Retry');
      retry.addEventListener('click', () => this.options.onRetry(clientMsgId));
      status = h('span', { class: 'failure' }, `Not sent: ${failure} `, retry);
    } else {
      status = h('span', { class: 'muted' }, 'Sending…');
    }
    replaceChildren(
      element,
      this.meta(this.options.me.id, this.options.me.username, null),
      h('div', { class: 'content' }, content),
      h('div', { class: 'message-footer' }, status),
    );
  }

  private meta(userId: number, username: string, createdAt: string | null): HTMLElement {
    return h(
      'div',
      { class: 'meta' },
      presenceDot(userId, this.options.presence.status(userId)),
      h('span', { class: 'author' }, username),
      createdAt ? h('time', { datetime: createdAt }, formatTime(createdAt)) : null,
    );
  }

  private content(message: ChatMessage): HTMLElement {
    const body = h('div', { class: 'content' }, message.content);
    // Only http(s) links are rendered, whatever the server stored.
    if (message.fileUrl && /^https?:\/\//i.test(message.fileUrl)) {
      const link = h('a', { href: message.fileUrl, target: '_blank', rel: 'noopener noreferrer' }, message.fileUrl);
      body.append(document.createElement('br'), link);
    }
    return body;
  }

  private watchUnseen(element: Element, message: ChatMessage): void {
    if (!this.observer) {
      if (document.visibilityState === 'visible') this.options.onSeen(message);
      return;
    }
    this.unseen.set(element, message);
    this.observer.observe(element);
  }

  private forgetUnseen(element: Element): void {
    if (this.unseen.delete(element)) this.observer?.unobserve(element);
  }

  private handleIntersections(entries: IntersectionObserverEntry[]): void {
    if (document.visibilityState !== 'visible') return;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const message = this.unseen.get(entry.target);
      if (!message) continue;
      this.forgetUnseen(entry.target);
      this.options.onSeen(message);
    }
  }

  private readonly handleVisibilityChange = (): void => {
    if (document.visibilityState !== 'visible' || !this.observer) return;
    for (const element of this.unseen.keys()) {
      this.observer.unobserve(element);
      this.observer.observe(element);
    }
  };
}
