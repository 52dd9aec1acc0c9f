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

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Creates the API client; `fetch` and `baseUrl` are injectable for tests. */
export function createApi(fetchImpl: FetchLike = (input, init) => fetch(input, init), baseUrl = '') {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    return data as T;
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

    workspaces: () => request<Workspace[]>('GET', '/api/workspaces'),
    createWorkspace: (name: string, description?: string) =>
      request<Workspace>('POST', '/api/workspaces', { name, description }),
    addMember: (workspaceId: number, userId: number, role?: string) =>
      request<unknown>('POST', `/api/workspaces/${workspaceId}/members`, { userId, role }),
    channels: (workspaceId: number) => request<Channel[]>('GET', `/api/workspaces/${workspaceId}/channels`),
    createChannel: (workspaceId: number, name: string, type: 'text' | 'announcement' = 'text', subject?: string) =>
      request<Channel>('POST', `/api/workspaces/${workspaceId}/channels`, { name, type, subject }),

    openDm: (userId: number) => request<DmChannel>('POST', '/api/channels/dm', { userId }),
    dms: () => request<DmChannel[]>('GET', '/api/users/me/dms'),

    /** The `limit` newest messages older than `before` (a message id), oldest first. */
    messages: (channelId: number, options: { before?: number; limit?: number } = {}) =>
      request<ChatMessage[]>('GET', `/api/channels/${channelId}/messages${query(options)}`),
    sendMessage: (body: SendMessageBody) => request<ChatMessage>('POST', '/api/messages', body),
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
