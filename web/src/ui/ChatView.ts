import { ApiError, type Api, type User } from '../api';
import { describeError, describeHttpError } from '../errors';
import { MessageStore } from '../MessageStore';
import { PresenceStore } from '../presence';
import { ChatSocketClient, type StateChange } from '../socket/ChatSocketClient';
import { MAX_CONTENT_LENGTH, type ChatMessage } from '../socket/protocol';
import { TypingThrottle, TypingUsers } from '../typing';
import { Banner } from './Banner';
import { ChannelHeader } from './ChannelHeader';
import { Composer } from './Composer';
import { h } from './dom';
import { MessageList, type ScrollMode } from './MessageList';
import { updatePresenceDots } from './presenceDot';
import { ReconnectBanner } from './ReconnectBanner';
import { Sidebar, type OpenChannel } from './Sidebar';
import { TypingIndicatorView } from './TypingIndicatorView';

/** Messages per history page (the server's default; it clamps above 100). */
const PAGE_SIZE = 50;

/**
 * The logged-in screen. It owns the chat socket and connects the pieces: socket
 * events update the open channel's MessageStore and the views; user actions go
 * to the socket (messages, typing, reads) or the HTTP API (everything else).
 */
export class ChatView {
  readonly element: HTMLElement;

  private readonly client = new ChatSocketClient();
  private readonly presence = new PresenceStore();
  private readonly typingUsers = new TypingUsers();
  private readonly throttle: TypingThrottle;

  private readonly sidebar: Sidebar;
  private readonly header: ChannelHeader;
  private readonly list: MessageList;
  private readonly composer: Composer;
  private readonly typingView: TypingIndicatorView;
  private readonly reconnectBanner: ReconnectBanner;
  private readonly errorBanner = new Banner('error-banner', 'error');
  private readonly notice = new Banner('notice', 'info', 5_000);

  private current: OpenChannel | null = null;
  private store: MessageStore;
  /** Incremented per channel opened, so late answers for a previous channel are dropped. */
  private openGeneration = 0;
  /** Messages already marked read from this tab. */
  private readonly markedRead = new Set<number>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly api: Api,
    private readonly me: User,
    private readonly onSessionEnded: (reason?: string) => void,
  ) {
    this.store = new MessageStore(me.id);
    this.throttle = new TypingThrottle({
      sendTyping: () => {
        if (this.current) this.client.typing(this.current.id);
      },
      sendStopTyping: () => {
        if (this.current) this.client.stopTyping(this.current.id);
      },
    });

    this.sidebar = new Sidebar({
      api,
      me,
      presence: this.presence,
      onOpen: (channel) => void this.openChannel(channel),
      onError: (error) => this.reportError(error),
      onNotice: (text) => this.notice.show(text),
      onLogout: () => void this.logout(),
    });
    this.header = new ChannelHeader(this.presence);
    this.list = new MessageList({
      me: { id: me.id, username: me.username },
      presence: this.presence,
      loadOlder: () => this.loadOlder(),
      onSeen: (message) => this.markSeen(message),
      onRetry: (clientMsgId) => this.retry(clientMsgId),
      onDelete: (messageId) => void this.deleteMessage(messageId),
    });
    this.composer = new Composer({
      onSend: (text) => this.send(text),
      onKeystroke: () => this.throttle.keystroke(),
      onIdle: () => this.throttle.blur(),
    });
    this.typingView = new TypingIndicatorView(this.typingUsers);
    this.reconnectBanner = new ReconnectBanner(() => this.client.reconnectNow());

    this.element = h(
      'div',
      { class: 'chat' },
      this.sidebar.element,
      h(
        'main',
        { class: 'pane' },
        this.reconnectBanner.element,
        this.errorBanner.element,
        this.notice.element,
        this.header.element,
        this.list.element,
        this.typingView.element,
        this.composer.element,
      ),
    );
    this.list.reset(false);
  }

  start(): void {
    this.subscribe();
    this.client.connect();
    void this.sidebar.load();
    // The browser knows before our backoff does that the network is back.
    window.addEventListener('online', this.handleOnline);
  }

  dispose(): void {
    window.removeEventListener('online', this.handleOnline);
    for (const off of this.unsubscribe) off();
    this.client.close();
    this.throttle.dispose();
    this.typingView.dispose();
    this.list.dispose();
  }

  // ---- socket events ----

  private subscribe(): void {
    const c = this.client;
    this.unsubscribe.push(
      c.on('state', (change) => this.handleState(change)),
      c.on('unauthorized', () => this.onSessionEnded('Your session has ended. Please log in again.')),
      c.on('new_message', ({ message, channelId }) => {
        if (!this.isCurrent(channelId ?? message.channelId)) return;
        this.typingUsers.stopped(message.authorId);
        this.typingView.update();
        this.store.add([message]);
        this.render('follow');
      }),
      c.on('send_failed', (failure) => {
        if (this.isCurrent(failure.channelId)) {
          this.store.failPending(failure.clientMsgId, describeError(failure.code, failure.message));
          this.render('follow');
        }
      }),
      c.on('error', (error) => {
        if (error.code !== 'unauthorized') this.errorBanner.show(describeError(error.code, error.message));
      }),
      c.on('user_typing', (event) => {
        if (!this.isCurrent(event.channelId) || event.userId === this.me.id) return;
        this.typingUsers.typing(event.userId, event.username);
        this.typingView.update();
      }),
      c.on('user_stop_typing', (event) => {
        if (!this.isCurrent(event.channelId)) return;
        this.typingUsers.stopped(event.userId);
        this.typingView.update();
      }),
      c.on('user_presence', (event) => {
        this.presence.set(event.userId, event.status);
        if (!this.isCurrent(event.channelId)) return;
        this.header.addPerson(event.userId, event.username);
        if (event.status === 'offline') {
          this.typingUsers.stopped(event.userId);
          this.typingView.update();
        }
      }),
      c.on('message_read', (event) => {
        if (this.isCurrent(event.channelId) && this.store.markRead(event.messageId, event.userId)) this.render('follow');
      }),
      c.on('message_deleted', (event) => {
        if (this.isCurrent(event.channelId) && this.store.remove(event.messageId)) this.render('follow');
      }),
      c.on('replay_truncated', (event) => {
        if (!this.isCurrent(event.channelId)) return;
        // The newest messages follow; older ones load by page when the user scrolls up.
        this.store.forgetThrough(event.skippedTo);
        this.list.setHasMore(true);
        this.render('bottom');
      }),
      this.presence.onChange((userId, status) => updatePresenceDots(this.element, userId, status)),
    );
  }

  private handleState(change: StateChange): void {
    this.reconnectBanner.update(change);
    // Our own dot follows our connection.
    if (change.state === 'open') this.presence.set(this.me.id, 'online');
    else if (change.state === 'reconnecting') {
      this.presence.set(this.me.id, 'offline');
      this.presence.forgetOthers(this.me.id);
    }
  }

  private readonly handleOnline = (): void => this.client.reconnectNow();

  // ---- channel ----

  private async openChannel(channel: OpenChannel): Promise<void> {
    if (this.current?.id === channel.id) return;
    const generation = ++this.openGeneration;
    if (this.current) {
      this.throttle.blur();
      // Deferred by the client until our pending sends there are delivered.
      this.client.leave(this.current.id);
    }
    this.current = channel;
    this.store = new MessageStore(this.me.id);
    this.typingUsers.clear();
    this.typingView.update();
    this.header.reset(channel.title, { id: this.me.id, username: this.me.username });
    this.list.reset(channel.isDm);
    this.composer.setChannel(channel.title);
    this.sidebar.setActive(channel.id);

    let since: number | undefined;
    try {
      const history = await this.api.messages(channel.id, { limit: PAGE_SIZE });
      if (generation !== this.openGeneration) return;
      this.store.add(history);
      this.list.setHasMore(history.length >= PAGE_SIZE);
      this.render('bottom');
      // Join from the end of what we loaded: the server replays anything newer,
      // closing the gap between the history request and the subscription.
      since = this.store.newestSeq() ?? (history.length === 0 ? 0 : undefined);
    } catch (error) {
      if (generation !== this.openGeneration) return;
      this.reportError(error);
    }
    this.client.join(channel.id, since === undefined ? {} : { since });
    this.composer.focus();
  }

  private async loadOlder(): Promise<void> {
    const channel = this.current;
    const before = this.store.oldestId();
    if (!channel || before === undefined) return;
    const generation = this.openGeneration;
    try {
      const older = await this.api.messages(channel.id, { before, limit: PAGE_SIZE });
      if (generation !== this.openGeneration) return;
      this.store.add(older);
      this.list.setHasMore(older.length >= PAGE_SIZE);
      this.render('keep-anchor');
    } catch (error) {
      this.reportError(error);
      throw error;
    }
  }

  private render(scroll: ScrollMode): void {
    this.list.render(this.store.items(), scroll);
  }

  private isCurrent(channelId: number): boolean {
    return this.current?.id === channelId;
  }

  // ---- user actions ----

  private send(text: string): boolean {
    const channel = this.current;
    const content = text.trim();
    if (!channel || !content) return false;
    if (content.length > MAX_CONTENT_LENGTH) {
      this.errorBanner.show(`Messages can be at most ${MAX_CONTENT_LENGTH} characters (this one has ${content.length}).`);
      return false;
    }
    // Shown at once as pending; the echo (same clientMsgId) replaces it in place.
    const clientMsgId = this.client.send(channel.id, content);
    this.store.addPending(clientMsgId, content);
    this.throttle.sent();
    this.render('bottom');
    return true;
  }

  private retry(clientMsgId: string): void {
    const channel = this.current;
    const pending = this.store.retryPending(clientMsgId);
    if (!channel || !pending) return;
    // Same clientMsgId: refused sends store nothing, and if it did get stored after
    // all, the server answers with the original instead of a second copy.
    this.client.send(channel.id, pending.content, { clientMsgId });
    this.render('follow');
  }

  private markSeen(message: ChatMessage): void {
    if (this.markedRead.has(message.id) || !this.isCurrent(message.channelId)) return;
    this.markedRead.add(message.id);
    this.client.markRead(message.channelId, message.id);
    // Only the reader's other sockets hear of it, so record it here too.
    this.store.markRead(message.id, this.me.id);
  }

  private async deleteMessage(messageId: number): Promise<void> {
    try {
      await this.api.deleteMessage(messageId);
      if (this.store.remove(messageId)) this.render('follow');
    } catch (error) {
      this.reportError(error);
    }
  }

  private async logout(): Promise<void> {
    this.client.close();
    try {
      await this.api.logout();
    } catch {
      // The session is abandoned either way.
    }
    this.onSessionEnded();
  }

  private reportError(error: unknown): void {
    if (error instanceof ApiError) {
      if (error.status === 401) {
        this.onSessionEnded('Your session has ended. Please log in again.');
        return;
      }
      this.errorBanner.show(describeHttpError(error.status, error.message, error.retryAfter));
      return;
    }
    this.errorBanner.show(error instanceof Error ? error.message : 'Something went wrong.');
  }
}
