import type { ChatMessage } from './protocol';

/** Wire types of `/gateway` (PROTOCOL.md section 3, docs/protocol.md): only the fields the client uses. */

export interface GatewayChannel {
  id: number;
  guildId?: number;
  workspaceId?: number;
  name: string;
  type?: string;
  subject?: string | null;
}

export interface GatewayGuild {
  id: number;
  name: string;
  description?: string | null;
  channels?: GatewayChannel[];
}

export interface ReadyData {
  user: { id: number; username: string; displayName?: string };
  guilds: GatewayGuild[];
  sessionId: string;
}

/** The dispatches the web client acts on, by `t`; others are ignored. */
export interface GatewayDispatches {
  MESSAGE_CREATE: ChatMessage;
  MESSAGE_DELETE: { id: number; channelId: number; guildId: number | null };
  /** (ext) An edited message, as MESSAGE_CREATE with the new content and `editedAt`. */
  MESSAGE_UPDATE: ChatMessage;
  CHANNEL_CREATE: GatewayChannel;
  GUILD_CREATE: GatewayGuild;
  GUILD_DELETE: { id: number };
  GUILD_MEMBER_ADD: { guildId: number; userId: number };
  GUILD_MEMBER_REMOVE: { guildId: number; userId: number };
}

export type GatewayServerFrame =
  | { op: 'HELLO'; d: { heartbeat_interval: number } }
  | { op: 'HEARTBEAT_ACK' }
  | { op: 'INVALID_SESSION' }
  | { t: string; d: unknown; s: number; op?: undefined };

/** Close codes after which a gateway client must not reconnect: the session is gone (log in again). */
export const GATEWAY_CLOSE_UNAUTHORIZED = 4001;
