import type { ChatMessage, MessageType } from './socket/protocol';

/**
 * The HTTP API of PROTOCOL.md section 4: same origin, the session cookie is sent
 * with every request, JSON in and out. Only the fields the client uses are typed;
 * servers may send more.
 */

export interface User {
  id: number;
  username: string;
  displayName?: string | null;
  role?: string;
}

export type WorkspaceRole = 'owner' | 'admin' | 'member';

export interface Member {
  userId: number;
  username: string;
  displayName?: string | null;
  role: WorkspaceRole | string;
}

export interface Workspace {
  id: number;
  name: string;
  description?: string | null;
  /** Some servers embed the channels; the client fetches them when absent. */
  channels?: Channel[];
}

export type ChannelType = 'text' | 'announcement' | 'dm';

export interface Channel {
  id: number;
  name: string;
  type?: ChannelType | string;
  workspaceId?: number | null;
  subject?: string | null;
}

/** A DM channel as listed by `GET /api/users/me/dms`. */
export interface DmChannel extends Channel {
  partner?: User;
}

export interface SendMessageBody {
  channelId: number;
  content: string;
  messageType?: MessageType;
  fileUrl?: string;
  clientMsgId?: string;
}

/** A non-2xx answer: `message` is the server's own text, `status` the HTTP status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    readonly status: number,
    /** Seconds, from `Retry-After` on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The header that names the next page of a list. */
export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';
/** Items per page asked for when following a list: the server's maximum. */
const PAGE_LIMIT = 200;
/** Pages followed at most, so that a misbehaving server cannot keep the client looping. */
const MAX_PAGES = 100;

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Creates the API client; `fetch` and `baseUrl` are injectable for tests. */
export function createApi(fetchImpl: FetchLike = (input, init) => fetch(input, init), baseUrl = '') {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await exchange<T>(method, path, body)).data;
  }

  /**
   * Every item of a paged list: the server answers one page as a JSON array and names the next one in
   * `X-Next-Cursor` (docs/protocol.md, "Paging"). A server that does not page sends no header: one page.
   */
  async function requestAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const url: string = `${path}${separator}limit=${PAGE_LIMIT}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const { data, headers }: { data: T[]; headers: Headers } = await exchange<T[]>('GET', url);
      items.push(...(Array.isArray(data) ? data : []));
      cursor = headers.get(NEXT_CURSOR_HEADER);
      if (!cursor) break;
    }
    return items;
  }

  async function exchange<T>(method: string, path: string, body?: unknown): Promise<{ data: T; headers: Headers }> {
    const init: RequestInit = {
      method,
      credentials: 'include',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    };
    if (body !== undefined) init.body = JSON.stringify(body);

    let response: Response;
    try {
      response = await fetchImpl(baseUrl + path, init);
    } catch {
      throw new ApiError('Cannot reach the server. Check your connection and try again.', 0);
    }

    const text = await response.text();
    const data: unknown = text ? parseJson(text) : undefined;
    if (!response.ok) throw toApiError(response, data, text);
    return { data: data as T, headers: response.headers };
  }

  const query = (params: Record<string, number | undefined>): string => {
    const parts = Object.entries(params)
      .filter((entry): entry is [string, number] => entry[1] !== undefined)
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    return parts.length ? `?${parts.join('&')}` : '';
  };

  return {
    register: (username: string, password: string, displayName?: string) =>
      request<User>('POST', '/api/auth/register', { username, password, displayName }),
    login: (username: string, password: string) => request<User>('POST', '/api/auth/login', { username, password }),
    logout: () => request<void>('POST', '/api/auth/logout'),
    me: () => request<User>('GET', '/api/auth/me'),

    workspaces: () => requestAll<Workspace>('/api/workspaces'),
    createWorkspace: (name: string, description?: string) =>
      request<Workspace>('POST', '/api/workspaces', { name, description }),
    addMember: (workspaceId: number, userId: number, role?: string) =>
      request<unknown>('POST', `/api/workspaces/${workspaceId}/members`, { userId, role }),
    members: (workspaceId: number) => requestAll<Member>(`/api/workspaces/${workspaceId}/members`),
    removeMember: (workspaceId: number, userId: number) =>
      request<void>('DELETE', `/api/workspaces/${workspaceId}/members/${userId}`),
    /** One page of the people the caller shares a workspace with whose name contains `query`. */
    searchUsers: (query: string, limit = 10) =>
      request<User[]>('GET', `/api/users?query=${encodeURIComponent(query)}&limit=${limit}`),
    channels: (workspaceId: number) => requestAll<Channel>(`/api/workspaces/${workspaceId}/channels`),
    createChannel: (workspaceId: number, name: string, type: 'text' | 'announcement' = 'text', subject?: string) =>
      request<Channel>('POST', `/api/workspaces/${workspaceId}/channels`, { name, type, subject }),

    openDm: (userId: number) => request<DmChannel>('POST', '/api/channels/dm', { userId }),
    dms: () => requestAll<DmChannel>('/api/users/me/dms'),

    /** The `limit` newest messages older than `before` (a message id), oldest first. */
    messages: (channelId: number, options: { before?: number; limit?: number } = {}) =>
      request<ChatMessage[]>('GET', `/api/channels/${channelId}/messages${query(options)}`),
    sendMessage: (body: SendMessageBody) => request<ChatMessage>('POST', '/api/messages', body),
    /** (ext) The author edits (docs/protocol.md, "Message edit"); subscribers get `message_updated`. */
    editMessage: (messageId: number, content: string) => request<ChatMessage>('PATCH', `/api/messages/${messageId}`, { content }),
    deleteMessage: (messageId: number) => request<unknown>('DELETE', `/api/messages/${messageId}`),
    markRead: (messageId: number) => request<unknown>('POST', `/api/messages/${messageId}/read`),
    unread: (channelId: number) => request<{ unreadCount: number }>('GET', `/api/channels/${channelId}/unread`),
  };
}

export type Api = ReturnType<typeof createApi>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(response: Response, data: unknown, text: string): ApiError {
  const serverMessage =
    typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string'
      ? data.message
      : undefined;
  const retryAfterHeader = response.headers.get('Retry-After');
  const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  // Fall back to the raw body only when it is short plain text, never an HTML page.
  const fallback = text && text.length < 200 && !text.trimStart().startsWith('<') ? text : `${response.status} ${response.statusText}`.trim();
  return new ApiError(serverMessage ?? fallback, response.status, retryAfter);
}
