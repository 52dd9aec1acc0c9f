import type { DisplayItem } from '../MessageStore';
import type { PresenceStore } from '../presence';
import { dayKey, dayLabel } from '../reading/days';
import { splitLinks } from '../reading/links';
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
  /** Saves an edit of one's own message; rejects (the editor stays open) when it failed. */
  onEdit(messageId: number, content: string): Promise<void>;
  /** The address of a message, for its permalink. */
  linkFor(messageId: number): string;
  /** A permalink was followed inside the app. */
  onFollowLink(href: string): void;
}

/** How the scroll position follows a render. */
export type ScrollMode = 'bottom' | 'follow' | 'keep-anchor' | 'none';

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
  /** The live region around the list (a list element may not carry role="log" itself). */
  private readonly log: HTMLElement;
  private readonly top: HTMLElement;
  private readonly elements = new Map<string, HTMLLIElement>();
  /** What each element was last rendered from, to skip unchanged ones. */
  private readonly signatures = new WeakMap<Element, string>();
  /** Elements of unread messages of others that wait to be seen. */
  private readonly unseen = new Map<Element, ChatMessage>();
  private readonly observer: IntersectionObserver | null;
  private isDm = false;
  /** May the user delete others' messages here (a workspace owner or admin)? */
  private canModerate = false;
  /** The message before which the "new messages" divider goes. */
  private firstUnread: number | undefined;
  /** The own message being edited, and the one whose deletion waits for confirmation. */
  private editing: number | null = null;
  private confirmingDelete: number | null = null;
  private lastItems: readonly DisplayItem[] = [];
  private hasMore = false;
  private loading = false;

  constructor(private readonly options: MessageListOptions) {
    // A log region: screen readers announce messages as they arrive, not the whole list again.
    this.list = h('ol', { class: 'messages' });
    this.log = h('div', { 'data-testid': 'message-list', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages' }, this.list);
    this.top = h('div', { class: 'history-top' });
    this.element = h('div', { class: 'message-scroll', tabindex: 0, role: 'region', 'aria-label': 'Message history' }, this.top, this.log);
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
  reset(isDm: boolean, title = 'Messages'): void {
    this.isDm = isDm;
    this.canModerate = false;
    this.firstUnread = undefined;
    this.editing = null;
    this.confirmingDelete = null;
    this.lastItems = [];
    this.log.setAttribute('aria-label', `Messages in ${title}`);
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

  setCanModerate(canModerate: boolean): void {
    if (this.canModerate === canModerate) return;
    this.canModerate = canModerate;
    this.rerender();
  }

  /** Puts the "new messages" divider before this message (undefined: none). */
  setFirstUnread(messageId: number | undefined): void {
    this.firstUnread = messageId;
  }

  /** Scrolls the message into view and highlights it; false when it is not loaded. */
  scrollToMessage(messageId: number): boolean {
    const element = this.list.querySelector<HTMLElement>(`[data-testid='message'][data-message-id='${messageId}']`);
    if (!element) return false;
    for (const old of this.list.querySelectorAll('.highlight')) old.classList.remove('highlight');
    element.classList.add('highlight');
    element.scrollIntoView({ block: 'center' });
    return true;
  }

  private rerender(): void {
    this.render(this.lastItems, 'none');
  }

  render(items: readonly DisplayItem[], scroll: ScrollMode): void {
    this.lastItems = items;
    const wasNearBottom =
      this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < FOLLOW_THRESHOLD;
    const previousHeight = this.element.scrollHeight;
    const previousTop = this.element.scrollTop;

    const keys = new Set<string>();
    let cursor: ChildNode | null = this.list.firstChild;
    const place = (key: string, create: () => HTMLLIElement): HTMLLIElement => {
      keys.add(key);
      let element = this.elements.get(key);
      if (!element) {
        element = create();
        this.elements.set(key, element);
      }
      if (element === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(element, cursor);
      return element;
    };
    let previousDay: string | null = null;
    for (const item of items) {
      if (item.kind === 'message') {
        const day = dayKey(item.message.createdAt);
        if (day !== previousDay) {
          const createdAt = item.message.createdAt;
          place(`day:${day}`, () => h('li', { class: 'day-separator', 'data-testid': 'day-separator' }, h('span', {}, dayLabel(createdAt))));
          previousDay = day;
        }
        if (item.message.id === this.firstUnread) {
          place('divider', () => h('li', { class: 'new-divider', 'data-testid': 'new-messages-divider' }, h('span', {}, 'New messages')));
        }
      }
      const element = place(item.key, () => h('li', { 'data-testid': 'message' }));
      this.update(element, item);
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
    const state = `${this.canModerate}|${this.editing === m.id}|${this.confirmingDelete === m.id}|${this.isDm}`;
    return `m|${m.id}|${m.content}|${m.readBy.join(',')}|${m.fileUrl ?? ''}|${m.editedAt ?? ''}|${state}`;
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
      if (this.editing !== message.id) {
        footer.push(this.button('edit-message', 'Edit', 'Edit this message', () => this.setEditing(message.id)));
      }
    }
    if (own || (this.canModerate && !this.isDm)) footer.push(...this.deleteControls(message));

    replaceChildren(
      element,
      this.meta(message.authorId, message.authorUsername, message.createdAt, message),
      this.editing === message.id ? this.editor(message) : this.content(message),
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

  private meta(userId: number, username: string, createdAt: string | null, message?: ChatMessage): HTMLElement {
    let permalink: HTMLElement | null = null;
    if (message) {
      const href = this.options.linkFor(message.id);
      permalink = h('a', { class: 'permalink', href, 'data-testid': 'message-link', 'aria-label': `Link to this message by ${username}` }, '#');
      permalink.addEventListener('click', (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        this.options.onFollowLink(href);
      });
    }
    const edited = message?.editedAt
      ? h('span', { class: 'edited muted', 'data-testid': 'edited', title: `Edited ${new Date(message.editedAt).toLocaleString()}` }, '(edited)')
      : null;
    return h(
      'div',
      { class: 'meta' },
      presenceDot(userId, this.options.presence.status(userId)),
      h('span', { class: 'author' }, username),
      createdAt ? h('time', { datetime: createdAt, title: new Date(createdAt).toLocaleString() }, formatTime(createdAt)) : null,
      edited,
      permalink,
    );
  }

  private button(testId: string, text: string, label: string, onClick: () => void): HTMLButtonElement {
    const button = h('button', { type: 'button', class: 'link-button', 'data-testid': testId, 'aria-label': label }, text);
    button.addEventListener('click', onClick);
    return button;
  }

  /** Delete asks first: "Delete this message?" with Delete / Cancel, in place (no blocking dialog). */
  private deleteControls(message: ChatMessage): Node[] {
    if (this.confirmingDelete !== message.id) {
      return [this.button('delete-message', 'Delete', 'Delete this message', () => this.setConfirmingDelete(message.id))];
    }
    const question = message.authorId === this.options.me.id ? 'Delete this message?' : `Delete ${message.authorUsername}'s message for everyone?`;
    return [
      h('span', { class: 'confirm-text', role: 'alert' }, question),
      this.button('confirm-delete', 'Delete', 'Confirm: delete this message', () => {
        this.confirmingDelete = null;
        this.options.onDelete(message.id);
      }),
      this.button('cancel-delete', 'Cancel', 'Keep this message', () => this.setConfirmingDelete(null)),
    ];
  }

  private setConfirmingDelete(messageId: number | null): void {
    this.confirmingDelete = messageId;
    this.rerender();
  }

  private setEditing(messageId: number | null): void {
    this.editing = messageId;
    this.rerender();
    if (messageId !== null) this.list.querySelector<HTMLTextAreaElement>("[data-testid='edit-input']")?.focus();
  }

  /** The inline editor of one's own message: Enter (or Save) saves, Escape (or Cancel) keeps the old text. */
  private editor(message: ChatMessage): HTMLElement {
    const input = h('textarea', { class: 'edit-input', 'data-testid': 'edit-input', 'aria-label': 'Edit message', rows: 2, maxlength: 4000 });
    input.value = message.content;
    const status = h('span', { class: 'failure', role: 'status' });
    const save = (): void => {
      const content = input.value.trim();
      if (!content || content === message.content) {
        this.setEditing(null);
        return;
      }
      input.disabled = true;
      this.options
        .onEdit(message.id, content)
        .then(() => {
          if (this.editing === message.id) this.setEditing(null);
        })
        .catch((error: unknown) => {
          input.disabled = false;
          status.textContent = error instanceof Error ? error.message : 'The edit was not saved.';
        });
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        save();
      } else if (event.key === 'Escape') {
        this.setEditing(null);
      }
    });
    return h(
      'div',
      { class: 'editor' },
      input,
      this.button('edit-save', 'Save', 'Save the edit', save),
      this.button('edit-cancel', 'Cancel', 'Cancel the edit', () => this.setEditing(null)),
      status,
    );
  }

  private content(message: ChatMessage): HTMLElement {
    // Text nodes and anchors built from the segments: message text never becomes HTML.
    const body = h(
      'div',
      { class: 'content' },
      ...splitLinks(message.content).map((segment) =>
        segment.kind === 'text' ? segment.text : h('a', { href: segment.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, segment.text),
      ),
    );
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
