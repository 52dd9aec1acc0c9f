import type { Api, Channel, DmChannel, User, Workspace } from '../api';
import type { PresenceStore } from '../presence';
import { h, parseId, replaceChildren } from './dom';
import { presenceDot } from './presenceDot';

/** What the chat pane needs to know about the channel it opens. */
export interface OpenChannel {
  id: number;
  title: string;
  isDm: boolean;
}

export interface SidebarOptions {
  api: Api;
  me: User;
  presence: PresenceStore;
  onOpen(channel: OpenChannel): void;
  onError(error: unknown): void;
  onNotice(text: string): void;
  onLogout(): void;
}

/**
 * The user's workspaces with their channels, and their DMs, plus the forms that
 * create workspaces and channels, add members and start DMs. The lists are
 * rebuilt on every change; the forms are built once so typed values survive.
 */
export class Sidebar {
  readonly element: HTMLElement;
  private readonly workspaceList: HTMLUListElement;
  private readonly dmList: HTMLUListElement;
  private readonly workspacePanel: HTMLElement;
  private readonly workspacePanelTitle: HTMLElement;

  private workspaces: Workspace[] = [];
  private readonly channels = new Map<number, Channel[]>();
  private dms: DmChannel[] = [];
  private selectedWorkspaceId: number | null = null;
  private activeChannelId: number | null = null;

  constructor(private readonly options: SidebarOptions) {
    const { me } = options;
    this.workspaceList = h('ul', { class: 'nav-list', 'data-testid': 'workspace-list' });
    this.dmList = h('ul', { class: 'nav-list', 'data-testid': 'dm-list' });
    this.workspacePanelTitle = h('h3', {});
    this.workspacePanel = h(
      'section',
      { class: 'workspace-panel', 'data-testid': 'workspace-panel', hidden: true },
      this.workspacePanelTitle,
      this.createChannelForm(),
      this.addMemberForm(),
    );

    const logout = h('button', { type: 'button', class: 'link-button', 'data-testid': 'logout' }, 'Log out');
    logout.addEventListener('click', () => options.onLogout());
    const refresh = h('button', { type: 'button', class: 'link-button', 'data-testid': 'refresh' }, 'Refresh');
    refresh.addEventListener('click', () => void this.load());

    this.element = h(
      'aside',
      { class: 'sidebar' },
      h(
        'div',
        { class: 'sidebar-header' },
        h('strong', { class: 'brand' }, 'Parley'),
        h(
          'div',
          { class: 'current-user' },
          presenceDot(me.id, options.presence.status(me.id)),
          h('span', { 'data-testid': 'current-user', 'data-user-id': me.id }, `${me.displayName || me.username} (id ${me.id})`),
        ),
        h('div', { class: 'sidebar-actions' }, refresh, logout),
      ),
      h('h3', {}, 'Workspaces'),
      this.workspaceList,
      this.createWorkspaceForm(),
      this.workspacePanel,
      h('h3', {}, 'Direct messages'),
      this.dmList,
      this.startDmForm(),
    );
  }

  /** Loads workspaces, their channels and DMs from the server. */
  async load(): Promise<void> {
    try {
      const [workspaces, dms] = await Promise.all([this.options.api.workspaces(), this.options.api.dms()]);
      this.workspaces = workspaces;
      this.dms = dms;
      await Promise.all(workspaces.map((workspace) => this.loadChannels(workspace)));
    } catch (error) {
      this.options.onError(error);
    }
    this.render();
  }

  /** Highlights the open channel and selects its workspace. */
  setActive(channelId: number | null): void {
    this.activeChannelId = channelId;
    for (const [workspaceId, channels] of this.channels) {
      if (channels.some((channel) => channel.id === channelId)) this.selectedWorkspaceId = workspaceId;
    }
    this.render();
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
    const name = h(
      'button',
      {
        type: 'button',
        class: workspace.id === this.selectedWorkspaceId ? 'workspace-name selected' : 'workspace-name',
        'aria-pressed': workspace.id === this.selectedWorkspaceId ? 'true' : 'false',
      },
      workspace.name,
    );
    name.addEventListener('click', () => {
      this.selectedWorkspaceId = workspace.id;
      this.render();
    });
    const channels = this.channels.get(workspace.id) ?? [];
    return h(
      'li',
      { 'data-testid': 'workspace-item', 'data-workspace-id': workspace.id },
      name,
      h('ul', { class: 'channel-list' }, ...channels.map((channel) => this.channelItem(channel))),
    );
  }

  private channelItem(channel: Channel): HTMLElement {
    const prefix = channel.type === 'announcement' ? '📣 ' : '# ';
    const button = h(
      'button',
      {
        type: 'button',
        class: channel.id === this.activeChannelId ? 'nav-item active' : 'nav-item',
        'data-testid': 'channel-item',
        'data-channel-id': channel.id,
        'aria-current': channel.id === this.activeChannelId ? 'page' : false,
      },
      prefix + channel.name,
    );
    button.addEventListener('click', () =>
      this.options.onOpen({ id: channel.id, title: `#${channel.name}`, isDm: false }),
    );
    return h('li', {}, button);
  }

  private dmItem(dm: DmChannel): HTMLElement {
    const partner = dm.partner;
    const name = partner ? partner.displayName || partner.username : dm.name || `DM ${dm.id}`;
    const button = h(
      'button',
      {
        type: 'button',
        class: dm.id === this.activeChannelId ? 'nav-item active' : 'nav-item',
        'data-testid': 'dm-item',
        'data-channel-id': dm.id,
        'data-user-id': partner?.id,
        'aria-current': dm.id === this.activeChannelId ? 'page' : false,
      },
      partner ? presenceDot(partner.id, this.options.presence.status(partner.id)) : null,
      name,
    );
    button.addEventListener('click', () => this.options.onOpen({ id: dm.id, title: `@${name}`, isDm: true }));
    return h('li', {}, button);
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
      this.workspaces.push(workspace);
      this.channels.set(workspace.id, workspace.channels ?? []);
      this.selectedWorkspaceId = workspace.id;
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
      this.channels.set(workspaceId, [...(this.channels.get(workspaceId) ?? []), channel]);
      this.render();
      this.options.onOpen({ id: channel.id, title: `#${channel.name}`, isDm: false });
    });
  }

  private addMemberForm(): HTMLFormElement {
    const input = h('input', {
      'data-testid': 'add-member-user-id',
      placeholder: 'User id',
      'aria-label': 'User id to add',
      inputmode: 'numeric',
      required: true,
    });
    return this.form([input, h('button', { type: 'submit', 'data-testid': 'add-member' }, 'Add member')], async () => {
      const workspaceId = this.selectedWorkspaceId;
      const userId = parseId(input.value);
      if (workspaceId === null) return;
      if (userId === null) throw new Error('Enter a user id (a positive number).');
      await this.options.api.addMember(workspaceId, userId);
      input.value = '';
      this.options.onNotice(`User ${userId} was added to the workspace.`);
    });
  }

  private startDmForm(): HTMLFormElement {
    const input = h('input', {
      'data-testid': 'start-dm-user-id',
      placeholder: 'User id',
      'aria-label': 'User id to message',
      inputmode: 'numeric',
      required: true,
    });
    return this.form([input, h('button', { type: 'submit', 'data-testid': 'start-dm' }, 'Start DM')], async () => {
      const userId = parseId(input.value);
      if (userId === null) throw new Error('Enter a user id (a positive number).');
      const dm = await this.options.api.openDm(userId);
      input.value = '';
      // Re-list to get the partner's name, which the create call may not return.
      this.dms = await this.options.api.dms().catch(() => [...this.dms.filter((d) => d.id !== dm.id), dm]);
      this.render();
      const listed = this.dms.find((d) => d.id === dm.id) ?? dm;
      const partner = listed.partner;
      const title = partner ? `@${partner.displayName || partner.username}` : `@user ${userId}`;
      this.options.onOpen({ id: dm.id, title, isDm: true });
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
