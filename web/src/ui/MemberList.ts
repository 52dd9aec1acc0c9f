import type { Api, Member, User } from '../api';
import { h, replaceChildren } from './dom';

export interface MemberListOptions {
  api: Api;
  me: User;
  onError(error: unknown): void;
  onNotice(text: string): void;
  /** The user left the workspace. */
  onLeft(workspaceId: number): void;
}

const ROLE_LABELS: Record<string, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };

/** May this role remove other members (never the owner)? The server decides; this only hides buttons it would refuse. */
export function canManage(role: string | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/**
 * The members of the selected workspace with their roles (`member-item`), a
 * Remove button for owners and admins (`remove-member`, not on the owner), and
 * Leave for everyone but the owner (`leave-workspace`).
 */
export class MemberList {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly leave: HTMLButtonElement;
  private workspaceId: number | null = null;
  private members: Member[] = [];
  private generation = 0;

  constructor(private readonly options: MemberListOptions) {
    this.list = h('ul', { class: 'member-list', 'data-testid': 'member-list', 'aria-label': 'Members' });
    this.leave = h('button', { type: 'button', class: 'link-button', 'data-testid': 'leave-workspace', hidden: true }, 'Leave workspace');
    this.leave.addEventListener('click', () => void this.leaveWorkspace());
    this.element = h('section', { class: 'members' }, h('h4', {}, 'Members'), this.list, this.leave);
  }

  /** The role of the signed-in user in the workspace shown, once loaded. */
  myRole(): string | undefined {
    return this.members.find((m) => m.userId === this.options.me.id)?.role;
  }

  async show(workspaceId: number | null): Promise<void> {
    this.workspaceId = workspaceId;
    const generation = ++this.generation;
    if (workspaceId === null) {
      this.members = [];
      this.render();
      return;
    }
    try {
      const members = await this.options.api.members(workspaceId);
      if (generation !== this.generation) return;
      this.members = members;
    } catch (error) {
      if (generation === this.generation) this.options.onError(error);
    }
    this.render();
  }

  /** Someone joined or left the workspace shown: reload. */
  async refresh(workspaceId: number): Promise<void> {
    if (workspaceId === this.workspaceId) await this.show(workspaceId);
  }

  private render(): void {
    const mine = this.myRole();
    replaceChildren(this.list, ...this.members.map((member) => this.item(member, mine)));
    this.leave.hidden = mine === undefined || mine === 'owner';
  }

  private item(member: Member, mine: string | undefined): HTMLElement {
    const name = member.displayName && member.displayName !== member.username ? `${member.displayName} (@${member.username})` : `@${member.username}`;
    const removable = canManage(mine) && member.role !== 'owner' && member.userId !== this.options.me.id;
    let remove: HTMLButtonElement | null = null;
    if (removable) {
      remove = h('button', { type: 'button', class: 'link-button', 'data-testid': 'remove-member', 'aria-label': `Remove ${name} from the workspace` }, 'Remove');
      remove.addEventListener('click', () => void this.remove(member, name));
    }
    return h(
      'li',
      { class: 'member', 'data-testid': 'member-item', 'data-user-id': member.userId },
      h('span', { class: 'member-name' }, name),
      h('span', { class: 'role-tag', 'data-testid': 'member-role' }, ROLE_LABELS[member.role] ?? member.role),
      remove,
    );
  }

  private async remove(member: Member, name: string): Promise<void> {
    const workspaceId = this.workspaceId;
    if (workspaceId === null) return;
    try {
      await this.options.api.removeMember(workspaceId, member.userId);
      this.options.onNotice(`${name} was removed from the workspace.`);
      await this.show(workspaceId);
    } catch (error) {
      this.options.onError(error);
    }
  }

  private async leaveWorkspace(): Promise<void> {
    const workspaceId = this.workspaceId;
    if (workspaceId === null) return;
    try {
      await this.options.api.removeMember(workspaceId, this.options.me.id);
      this.options.onLeft(workspaceId);
    } catch (error) {
      this.options.onError(error);
    }
  }
}
