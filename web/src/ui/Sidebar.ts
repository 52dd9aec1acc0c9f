import type { Api, Channel, DmChannel, User, Workspace } from '../api';
import type { PresenceStore } from '../presence';
import type { GatewayChannel, GatewayGuild } from '../socket/gatewayProtocol';
import { badgeText, type UnreadTracker } from '../unread';
import { h, replaceChildren } from './dom';
import { MemberList } from './MemberList';
import { PeopleSearch } from './PeopleSearch';
import { presenceDot } from './presenceDot';

/** What the chat pane needs to know about the channel it opens. */
export interface OpenChannel {
  id: number;
  title: string;
  isDm: boolean;
  /** The workspace of a channel; null for a DM. */
  workspaceId: number | null;
  /** `text`, `announcement` or `dm`. */
  type: string;
  /** The channel's topic, when it has one. */
  subject: string | null;
}

export interface SidebarOptions {
  api: Api;
  me: User;
  presence: PresenceStore;
  unread: UnreadTracker;
  onOpen(channel: OpenChannel): void;
  onError(error: unknown): void;
  onNotice(text: string): void;
  onLogout(): void;
  /** The extra controls of the header (notifications switch). */
  headerControls: HTMLElement[];
}

/**
 * The user's workspaces with their channels, and their DMs, each with its unread
 * badge; the selected workspace's panel (new channel, add member by name, member
 * list); "New message" by name. The gateway keeps it current (new channels,
 * workspaces and DMs appear by themselves); Refresh reloads everything.
 */
export class Sidebar {
  readonly element: HTMLElement;
  private readonly workspaceList: HTMLUListElement;
  private readonly dmList: HTMLUListElement;
  private readonly workspacePanel: HTMLElement;
  private readonly workspacePanelTitle: HTMLElement;
  private readonly members: MemberList;

  private workspaces: Workspace[] = [];
  private readonly channels = new Map<number, Channel[]>();
  private dms: DmChannel[] = [];
  private selectedWorkspaceId: number | null = null;
  private activeChannelId: number | null = null;

  constructor(private readonly options: SidebarOptions) {
    const { me } = options;
    this.workspaceList = h('ul', { class: 'nav-list', 'data-testid': 'workspace-list', 'aria-label': 'Workspaces and channels' });
    this.dmList = h('ul', { class: 'nav-list', 'data-testid': 'dm-list', 'aria-label': 'Direct messages' });
    this.workspacePanelTitle = h('h3', {});
    this.members = new MemberList({
      api: options.api,
      me,
      onError: options.onError,
      onNotice: options.onNotice,
      onLeft: (workspaceId) => {
        this.removeWorkspace(workspaceId);
        options.onNotice('You left the workspace.');
      },
    });
    const addMember = new PeopleSearch({
      api: options.api,
      label: 'Add member',
      actionLabel: 'Add',
      onError: options.onError,
      onPick: async (user) => {
        const workspaceId = this.selectedWorkspaceId;
        if (workspaceId === null) return;
        await options.api.addMember(workspaceId, user.id);
        options.onNotice(`${user.displayName || user.username} was added to the workspace.`);
        await this.members.show(workspaceId);
      },
    });
    this.workspacePanel = h(
      'section',
      { class: 'workspace-panel', 'data-testid': 'workspace-panel', hidden: true, 'aria-label': 'Selected workspace' },
      this.workspacePanelTitle,
      this.createChannelForm(),
      h('div', { 'data-testid': 'add-member-search' }, addMember.element),
      this.members.element,
    );
    const newMessage = new PeopleSearch({
      api: options.api,
      label: 'New message',
      actionLabel: 'Message',
      onError: options.onError,
      onPick: (user) => this.startDm(user),
    });

    const logout = h('button', { type: 'button', class: 'link-button', 'data-testid': 'logout' }, 'Log out');
    logout.addEventListener('click', () => options.onLogout());
    const refresh = h('button', { type: 'button', class: 'link-button', 'data-testid': 'refresh' }, 'Refresh');
    refresh.addEventListener('click', () => void this.load());

    this.element = h(
      'nav',
      { class: 'sidebar', 'aria-label': 'Channels and people' },
      h(
        'div',
        { class: 'sidebar-header' },
        h('h1', { class: 'brand' }, 'Parley'),
        h(
          'div',
          { class: 'current-user' },
          presenceDot(me.id, options.presence.status(me.id)),
          h('span', { 'data-testid': 'current-user', 'data-user-id': me.id }, `${me.displayName || me.username} (id ${me.id})`),
        ),
        h('div', { class: 'sidebar-actions' }, refresh, logout, ...options.headerControls),
      ),
      h('h2', { class: 'section-title' }, 'Workspaces'),
      this.workspaceList,
      this.createWorkspaceForm(),
      this.workspacePanel,
      h('h2', { class: 'section-title' }, 'Direct messages'),
      this.dmList,
      h('div', { 'data-testid': 'new-message' }, newMessage.element),
    );
    options.unread.onChange(() => this.render());
  }

  /** Loads workspaces, their channels and DMs from the server. */
  async load(): Promise<void> {
    try {
      const [workspaces, dms] = await Promise.all([this.options.api.workspaces(), this.options.api.dms()]);
      this.workspaces = workspaces;
      this.dms = dms;
      this.channels.clear();
      await Promise.all(workspaces.map((workspace) => this.loadChannels(workspace)));
    } catch (error) {
      this.options.onError(error);
    }
    this.render();
  }

  /** Reloads the DM list (a DM someone else started appears with its first message). */
  async reloadDms(): Promise<void> {
    try {
      this.dms = await this.options.api.dms();
    } catch (error) {
      this.options.onError(error);
    }
    this.render();
  }

  /** Every channel and DM id listed, for the unread counts. */
  channelIds(): number[] {
    return [...[...this.channels.values()].flat().map((c) => c.id), ...this.dms.map((d) => d.id)];
  }

  /** The channel or DM with this id, as the chat pane opens it; undefined when not listed. */
  find(channelId: number): OpenChannel | undefined {
    for (const [workspaceId, channels] of this.channels) {
      const channel = channels.find((c) => c.id === channelId);
      if (channel) return this.toOpen(channel, workspaceId);
    }
    const dm = this.dms.find((d) => d.id === channelId);
    return dm ? this.dmToOpen(dm) : undefined;
  }

  isDm(channelId: number): boolean {
    return this.dms.some((d) => d.id === channelId);
  }

  /** Highlights the open channel and selects its workspace. */
  setActive(channelId: number | null): void {
    this.activeChannelId = channelId;
    for (const [workspaceId, channels] of this.channels) {
      if (channels.some((channel) => channel.id === channelId)) this.selectWorkspace(workspaceId);
    }
    this.render();
  }

  // ---- gateway updates ----

  addChannel(channel: GatewayChannel): void {
    const workspaceId = channel.workspaceId ?? channel.guildId;
    if (workspaceId === undefined || !this.channels.has(workspaceId)) return;
    const list = this.channels.get(workspaceId)!;
    if (list.some((c) => c.id === channel.id)) return;
    this.channels.set(workspaceId, [...list, { ...channel, workspaceId }]);
    this.render();
  }

  addWorkspace(guild: GatewayGuild): void {
    if (this.workspaces.some((w) => w.id === guild.id)) return;
    this.workspaces = [...this.workspaces, { id: guild.id, name: guild.name, description: guild.description ?? null }].sort((a, b) => a.id - b.id);
    this.channels.set(guild.id, (guild.channels ?? []).map((c) => ({ ...c, workspaceId: guild.id })));
    this.render();
  }

  removeWorkspace(workspaceId: number): void {
    this.workspaces = this.workspaces.filter((w) => w.id !== workspaceId);
    this.channels.delete(workspaceId);
    if (this.selectedWorkspaceId === workspaceId) this.selectWorkspace(null);
    this.render();
  }

  /** Someone joined or left a workspace. */
  membersChanged(workspaceId: number): void {
    void this.members.refresh(workspaceId);
  }

  private selectWorkspace(workspaceId: number | null): void {
    if (this.selectedWorkspaceId === workspaceId) return;
    this.selectedWorkspaceId = workspaceId;
    void this.members.show(workspaceId);
  }

  private async loadChannels(workspace: Workspace): Promise<void> {
    this.channels.set(workspace.id, workspace.channels ?? (await this.options.api.channels(workspace.id)));
  }

  private render(): void {
    replaceChildren(this.workspaceList, ...this.workspaces.map((workspace) => this.workspaceItem(workspace)));
    if (this.workspaces.length === 0) {
      this.workspaceList.append(h('li', { class: 'muted' }, 'No workspaces yet.'));
    }
    replaceChildren(this.dmList, ...this.dms.map((dm) => this.dmItem(dm)));
    if (this.dms.length === 0) this.dmList.append(h('li', { class: 'muted' }, 'No direct messages yet.'));

    const selected = this.workspaces.find((workspace) => workspace.id === this.selectedWorkspaceId);
    this.workspacePanel.hidden = !selected;
    this.workspacePanelTitle.textContent = selected ? `Manage ${selected.name}` : '';
  }

  private workspaceItem(workspace: Workspace): HTMLElement {
    const selected = workspace.id === this.selectedWorkspaceId;
    const name = h(
      'button',
      { type: 'button', class: selected ? 'workspace-name selected' : 'workspace-name', 'aria-pressed': selected ? 'true' : 'false' },
      workspace.name,
    );
    name.addEventListener('click', () => {
      this.selectWorkspace(workspace.id);
      this.render();
    });
    const channels = this.channels.get(workspace.id) ?? [];
    return h(
      'li',
      { 'data-testid': 'workspace-item', 'data-workspace-id': workspace.id },
      name,
      h('ul', { class: 'channel-list', 'aria-label': `Channels of ${workspace.name}` }, ...channels.map((channel) => this.channelItem(channel, workspace.id))),
    );
  }

  private channelItem(channel: Channel, workspaceId: number): HTMLElement {
    const prefix = channel.type === 'announcement' ? '📣 ' : '# ';
    const open = this.toOpen(channel, workspaceId);
    return h('li', {}, this.navButton(open, 'channel-item', null, prefix + channel.name));
  }

  private dmItem(dm: DmChannel): HTMLElement {
    const partner = dm.partner;
    const open = this.dmToOpen(dm);
    const button = this.navButton(open, 'dm-item', partner ? presenceDot(partner.id, this.options.presence.status(partner.id)) : null, open.title.slice(1));
    if (partner) button.dataset.userId = String(partner.id);
    return h('li', {}, button);
  }

  /** A channel or DM button: bold with a badge while it has unread messages. */
  private navButton(open: OpenChannel, testId: string, icon: Node | null, label: string): HTMLButtonElement {
    const active = open.id === this.activeChannelId;
    const unread = this.options.unread.count(open.id);
    const classes = ['nav-item', active ? 'active' : '', unread > 0 ? 'unread' : ''].filter(Boolean).join(' ');
    const button = h(
      'button',
      {
        type: 'button',
        class: classes,
        'data-testid': testId,
        'data-channel-id': open.id,
        'aria-current': active ? 'page' : false,
      },
      icon,
      h('span', { class: 'nav-label' }, label),
      // The badge's number is read out as "3 unread": the name contains what is seen.
      unread > 0 ? h('span', { class: 'badge', 'data-testid': 'unread-badge' }, badgeText(unread)) : null,
      unread > 0 ? h('span', { class: 'sr-only' }, ' unread') : null,
    );
    button.addEventListener('click', () => this.options.onOpen(open));
    return button;
  }

  private toOpen(channel: Channel, workspaceId: number): OpenChannel {
    return {
      id: channel.id,
      title: `#${channel.name}`,
      isDm: false,
      workspaceId,
      type: channel.type ?? 'text',
      subject: channel.subject ?? null,
    };
  }

  private dmToOpen(dm: DmChannel): OpenChannel {
    const partner = dm.partner;
    const name = partner ? partner.displayName || partner.username : dm.name || `DM ${dm.id}`;
    return { id: dm.id, title: `@${name}`, isDm: true, workspaceId: null, type: 'dm', subject: null };
  }

  private async startDm(user: User): Promise<void> {
    const dm = await this.options.api.openDm(user.id);
    // Re-list to get the partner's name, which the create call may not return.
    this.dms = await this.options.api.dms().catch(() => [...this.dms.filter((d) => d.id !== dm.id), { ...dm, partner: user }]);
    this.render();
    this.options.onOpen(this.find(dm.id) ?? this.dmToOpen({ ...dm, partner: user }));
  }

  // ---- forms ----

  private createWorkspaceForm(): HTMLFormElement {
    const input = h('input', {
      'data-testid': 'create-workspace-name',
      placeholder: 'New workspace name',
      'aria-label': 'New workspace name',
      required: true,
      maxlength: 100,
    });
    return this.form([input, h('button', { type: 'submit', 'data-testid': 'create-workspace' }, 'Create workspace')], async () => {
      const name = input.value.trim();
      if (!name) return;
      const workspace = await this.options.api.createWorkspace(name);
      input.value = '';
      if (!this.workspaces.some((w) => w.id === workspace.id)) this.workspaces.push(workspace);
      this.channels.set(workspace.id, workspace.channels ?? []);
      this.selectWorkspace(workspace.id);
      // The server may create default channels: fetch the real list.
      await this.loadChannels({ ...workspace, channels: undefined }).catch(() => undefined);
      this.render();
    });
  }

  private createChannelForm(): HTMLFormElement {
    const input = h('input', {
      'data-testid': 'create-channel-name',
      placeholder: 'New channel name',
      'aria-label': 'New channel name',
      required: true,
      maxlength: 100,
    });
    const type = h(
      'select',
      { 'data-testid': 'create-channel-type', 'aria-label': 'Channel type' },
      h('option', { value: 'text' }, 'Text'),
      h('option', { value: 'announcement' }, 'Announcement'),
    );
    return this.form([input, type, h('button', { type: 'submit', 'data-testid': 'create-channel' }, 'Create channel')], async () => {
      const workspaceId = this.selectedWorkspaceId;
      const name = input.value.trim();
      if (workspaceId === null || !name) return;
      const channel = await this.options.api.createChannel(workspaceId, name, type.value === 'announcement' ? 'announcement' : 'text');
      input.value = '';
      this.addChannel({ ...channel, workspaceId });
      this.options.onOpen(this.toOpen(channel, workspaceId));
    });
  }

  /** A small inline form whose submit runs `action`, reporting errors and blocking double submits. */
  private form(fields: HTMLElement[], action: () => Promise<void>): HTMLFormElement {
    const form = h('form', { class: 'inline-form' }, ...fields);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (form.dataset.busy) return;
      form.dataset.busy = 'true';
      action()
        .catch((error: unknown) => this.options.onError(error))
        .finally(() => delete form.dataset.busy);
    });
    return form;
  }
}
