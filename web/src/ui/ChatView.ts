import { ApiError, type Api, type User } from '../api';
import { describeError, describeHttpError } from '../errors';
import { MessageStore } from '../MessageStore';
import { shouldNotify } from '../notifications';
import { PresenceStore } from '../presence';
import { firstUnreadId } from '../reading/firstUnread';
import { formatRoute, parseRoute, type Route } from '../routing';
import { GatewayClient, type GatewayEvents } from '../socket/GatewayClient';
import { ChatSocketClient, type StateChange } from '../socket/ChatSocketClient';
import { MAX_CONTENT_LENGTH, type ChatMessage } from '../socket/protocol';
import { TypingThrottle, TypingUsers } from '../typing';
import { titleWithUnread, UnreadTracker } from '../unread';
import { Banner } from './Banner';
import { ChannelHeader } from './ChannelHeader';
import { Composer } from './Composer';
import { h } from './dom';
import { canManage } from './MemberList';
import { MessageList, type ScrollMode } from './MessageList';
import { NotificationSwitch } from './NotificationSwitch';
import { updatePresenceDots } from './presenceDot';
import { ReconnectBanner } from './ReconnectBanner';
import { Sidebar, type OpenChannel } from './Sidebar';
import { TypingIndicatorView } from './TypingIndicatorView';

/** Messages per history page (the server's default; it clamps above 100). */
const PAGE_SIZE = 50;
/** Older pages loaded at most to reach a linked message, before saying it is too far back. */
const MAX_PAGES_TO_LINKED_MESSAGE = 10;
/** The tab title without unread count. */
const APP_TITLE = 'Parley';

/**
 * The logged-in screen. It owns the two sockets and connects the pieces:
 * `/ws/chat` carries the open channel (messages, typing, reads, presence);
 * `/gateway` carries everything else the user belongs to (unread counts, new
 * DMs, channels and workspaces, notifications). User actions go to the chat
 * socket (messages, typing, reads) or the HTTP API (everything else). The open
 * channel is in the address bar (History API), so reload and Back work.
 */
export class ChatView {
  readonly element: HTMLElement;

  private readonly client = new ChatSocketClient();
  private readonly gateway: GatewayClient;
  private readonly unread: UnreadTracker;
  private readonly notifications = new NotificationSwitch();
  /** The user's role per workspace, for the composer and moderation; fetched when a channel opens. */
  private readonly roles = new Map<number, string | undefined>();
  private firstReady = true;
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
    this.unread = new UnreadTracker(me.id);
    this.gateway = new GatewayClient({ userId: me.id });
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
      unread: this.unread,
      headerControls: [this.notifications.element],
      onOpen: (channel) => void this.openChannel(channel, { push: true }),
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
      onEdit: (messageId, content) => this.editMessage(messageId, content),
      linkFor: (messageId) => (this.current ? formatRoute({ ...this.routeOf(this.current), messageId }) : '/'),
      onFollowLink: (href) => this.navigate(href),
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
    this.gateway.connect();
    void this.loadSidebar().then(() => this.openRoute(parseRoute(location.pathname, location.search), 'replace'));
    // The browser knows before our backoff does that the network is back.
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('popstate', this.handlePopState);
    document.addEventListener('visibilitychange', this.handleVisibility);
    this.updateTitle();
  }

  dispose(): void {
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('popstate', this.handlePopState);
    document.removeEventListener('visibilitychange', this.handleVisibility);
    for (const off of this.unsubscribe) off();
    this.client.close();
    this.gateway.close();
    document.title = APP_TITLE;
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
      c.on('message_updated', ({ message }) => this.applyEdit(message)),
      this.presence.onChange((userId, status) => updatePresenceDots(this.element, userId, status)),
      this.unread.onChange(() => this.updateTitle()),
      this.gateway.on('dispatch', (dispatch) => this.handleDispatch(dispatch)),
      this.gateway.on('ready', () => {
        // For tests and tools: the app now hears about every channel (data-gateway on the chat root).
        this.element.dataset.gateway = 'ready';
        // A new gateway session after the first: events may have been missed while away, so reload the lists.
        if (this.firstReady) this.firstReady = false;
        else void this.loadSidebar();
      }),
      this.gateway.on('unauthorized', () => this.onSessionEnded('Your session has ended. Please log in again.')),
    );
  }

  // ---- gateway ----

  private handleDispatch(dispatch: GatewayEvents['dispatch']): void {
    switch (dispatch.t) {
      case 'MESSAGE_CREATE': {
        const message = dispatch.d;
        if (this.sidebar.find(message.channelId) === undefined) {
          // A channel we do not list: a DM someone just started with us. It appears, with its badge.
          void this.sidebar.reloadDms().then(() => this.countLive(message));
          return;
        }
        this.countLive(message);
        return;
      }
      case 'MESSAGE_DELETE':
        this.unread.onDeleted(dispatch.d.id, dispatch.d.channelId);
        return;
      case 'MESSAGE_UPDATE':
        this.applyEdit(dispatch.d);
        return;
      case 'CHANNEL_CREATE':
        this.sidebar.addChannel(dispatch.d);
        return;
      case 'GUILD_CREATE':
        this.sidebar.addWorkspace(dispatch.d);
        return;
      case 'GUILD_DELETE':
        this.roles.delete(dispatch.d.id);
        this.sidebar.removeWorkspace(dispatch.d.id);
        if (this.current?.workspaceId === dispatch.d.id) this.closeChannel('You are no longer a member of that workspace.');
        return;
      case 'GUILD_MEMBER_ADD':
      case 'GUILD_MEMBER_REMOVE':
        this.sidebar.membersChanged(dispatch.d.guildId);
        return;
    }
  }

  /** A message anywhere: unread unless it is in front of the user; a notification for DMs and mentions. */
  private countLive(message: ChatMessage): void {
    const looking = { channelId: this.current?.id ?? null, visible: document.visibilityState === 'visible' };
    this.unread.onMessage(message, looking);
    const channel = this.sidebar.find(message.channelId);
    const context = {
      myUserId: this.me.id,
      myNames: [this.me.username, this.me.displayName ?? ''],
      isDm: channel?.isDm ?? false,
      openChannelId: looking.channelId,
      visible: looking.visible,
    };
    if (channel && shouldNotify(message, context)) {
      this.notifications.show(`${message.authorUsername} in ${channel.title}`, message.content, () => {
        void this.openChannel(channel, { push: true });
      });
    }
  }

  private async loadSidebar(): Promise<void> {
    await this.sidebar.load();
    // The server's counts to start from; the gateway keeps them live. One request per channel, all at once.
    await Promise.all(
      this.sidebar.channelIds().map(async (channelId) => {
        if (channelId === this.current?.id) return;
        try {
          this.unread.seed(channelId, (await this.api.unread(channelId)).unreadCount);
        } catch {
          // A channel we lost access to meanwhile: no badge.
        }
      }),
    );
  }

  private updateTitle(): void {
    const base = this.current ? `${this.current.title} · ${APP_TITLE}` : APP_TITLE;
    document.title = titleWithUnread(base, this.unread.total());
  }

  // ---- routing ----

  private routeOf(channel: OpenChannel): Exclude<Route, { kind: 'home' }> {
    return channel.isDm || channel.workspaceId === null
      ? { kind: 'dm', channelId: channel.id }
      : { kind: 'channel', workspaceId: channel.workspaceId, channelId: channel.id };
  }

  /** Follows an address inside the app (a permalink), as a new history entry. */
  private navigate(href: string): void {
    const url = new URL(href, location.href);
    history.pushState(null, '', url.pathname + url.search);
    void this.openRoute(parseRoute(url.pathname, url.search), 'none');
  }

  private readonly handlePopState = (): void => {
    void this.openRoute(parseRoute(location.pathname, location.search), 'none');
  };

  private async openRoute(route: Route, history: 'replace' | 'none'): Promise<void> {
    if (route.kind === 'home') return;
    const channel = this.sidebar.find(route.channelId);
    if (!channel) {
      this.errorBanner.show('That channel does not exist or you cannot read it.');
      return;
    }
    await this.openChannel(channel, { push: false, replace: history === 'replace', messageId: route.messageId });
  }

  private readonly handleVisibility = (): void => {
    if (document.visibilityState === 'visible' && this.current) this.unread.clear(this.current.id);
  };

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

  private async openChannel(
    channel: OpenChannel,
    how: { push: boolean; replace?: boolean; messageId?: number },
  ): Promise<void> {
    const route = formatRoute({ ...this.routeOf(channel), ...(how.messageId === undefined ? {} : { messageId: how.messageId }) });
    if (how.push && location.pathname + location.search !== route) history.pushState(null, '', route);
    else if (how.replace && location.pathname + location.search !== route) history.replaceState(null, '', route);
    if (this.current?.id === channel.id) {
      if (how.messageId !== undefined) await this.showMessage(how.messageId, this.openGeneration);
      return;
    }
    const generation = ++this.openGeneration;
    const unreadBefore = this.unread.count(channel.id);
    this.unread.clear(channel.id);
    if (this.current) {
      this.throttle.blur();
      // Deferred by the client until our pending sends there are delivered.
      this.client.leave(this.current.id);
    }
    this.current = channel;
    this.store = new MessageStore(this.me.id);
    this.typingUsers.clear();
    this.typingView.update();
    this.header.reset(channel.title, { id: this.me.id, username: this.me.username }, channel.subject);
    this.list.reset(channel.isDm, channel.title);
    this.composer.setChannel(channel.title);
    this.sidebar.setActive(channel.id);
    this.updateTitle();
    void this.applyRole(channel, generation);

    let since: number | undefined;
    try {
      const history = await this.api.messages(channel.id, { limit: PAGE_SIZE });
      if (generation !== this.openGeneration) return;
      this.store.add(history);
      this.list.setHasMore(history.length >= PAGE_SIZE);
      this.list.setFirstUnread(firstUnreadId(history, unreadBefore, this.me.id));
      this.render('bottom');
      // Join from the end of what we loaded: the server replays anything newer,
      // closing the gap between the history request and the subscription.
      since = this.store.newestSeq() ?? (history.length === 0 ? 0 : undefined);
    } catch (error) {
      if (generation !== this.openGeneration) return;
      this.reportError(error);
    }
    this.client.join(channel.id, since === undefined ? {} : { since });
    if (how.messageId !== undefined) await this.showMessage(how.messageId, generation);
    else this.composer.focus();
  }

  /** Scrolls to a linked message, loading older pages until it is there (a bounded number of them). */
  private async showMessage(messageId: number, generation: number): Promise<void> {
    for (let page = 0; page <= MAX_PAGES_TO_LINKED_MESSAGE; page++) {
      if (generation !== this.openGeneration) return;
      if (this.list.scrollToMessage(messageId)) return;
      const before = this.store.oldestId();
      if (!this.current || before === undefined || before < messageId) break;
      const older = await this.api.messages(this.current.id, { before, limit: PAGE_SIZE }).catch(() => []);
      if (generation !== this.openGeneration) return;
      if (older.length === 0) break;
      this.store.add(older);
      this.list.setHasMore(older.length >= PAGE_SIZE);
      this.render('keep-anchor');
    }
    this.notice.show('That message is not in this channel any more.');
  }

  /** The user's role where the channel is: may they post (announcement channels), may they delete others' messages? */
  private async applyRole(channel: OpenChannel, generation: number): Promise<void> {
    if (channel.workspaceId === null) return;
    if (!this.roles.has(channel.workspaceId)) {
      try {
        const members = await this.api.members(channel.workspaceId);
        this.roles.set(channel.workspaceId, members.find((m) => m.userId === this.me.id)?.role);
      } catch {
        return; // Without the role the server still decides; the UI just does not pre-empt it.
      }
    }
    if (generation !== this.openGeneration) return;
    const role = this.roles.get(channel.workspaceId);
    this.list.setCanModerate(canManage(role));
    if (channel.type === 'announcement' && !canManage(role)) {
      this.composer.setChannel(channel.title, 'Only workspace owners and admins can post in this announcement channel.');
    }
  }

  private closeChannel(reason: string): void {
    if (this.current) this.client.leave(this.current.id);
    this.current = null;
    this.openGeneration += 1;
    this.store = new MessageStore(this.me.id);
    this.header.reset(null);
    this.list.reset(false);
    this.composer.setChannel(null);
    this.sidebar.setActive(null);
    history.replaceState(null, '', '/');
    this.updateTitle();
    this.notice.show(reason);
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

  private async editMessage(messageId: number, content: string): Promise<void> {
    if (content.length > MAX_CONTENT_LENGTH) throw new Error(`Messages can be at most ${MAX_CONTENT_LENGTH} characters.`);
    try {
      this.applyEdit(await this.api.editMessage(messageId, content));
    } catch (error) {
      throw new Error(error instanceof ApiError ? describeHttpError(error.status, error.message, error.retryAfter) : 'The edit was not saved.');
    }
  }

  /** An edited message (HTTP answer, message_updated or MESSAGE_UPDATE): replaces the shown one, read receipts kept. */
  private applyEdit(message: ChatMessage): void {
    if (this.isCurrent(message.channelId) && this.store.applyEdit(message)) this.render('none');
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
