import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi } from '../src/api';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

describe('api', () => {
  it('sends JSON with the session cookie and returns the parsed body', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { id: 3, username: 'ana' }));
    const api = createApi(fetch);
    await expect(api.login('ana', 'correct horse')).resolves.toEqual({ id: 3, username: 'ana' });

    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/login');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('include');
    expect(init.body).toBe(JSON.stringify({ username: 'ana', password: 'correct horse' }));
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('builds the history query from before and limit', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, []));
    const api = createApi(fetch);
    await api.messages(5, { before: 120, limit: 50 });
    await api.messages(5);
    expect(fetch.mock.calls.map((call) => (call as unknown as [string])[0])).toEqual([
      '/api/channels/5/messages?before=120&limit=50',
      '/api/channels/5/messages',
    ]);
  });

  it('follows the pages of a list until the server names no next one', async () => {
    const pages: Record<string, [unknown[], string | undefined]> = {
      '/api/workspaces?limit=200': [[{ id: 1 }, { id: 2 }], '2'],
      '/api/workspaces?limit=200&cursor=2': [[{ id: 3 }], undefined],
    };
    const fetch = vi.fn(async (url: string) => {
      const [body, next] = pages[url] ?? [[], undefined];
      return jsonResponse(200, body, next === undefined ? {} : { 'X-Next-Cursor': next });
    });
    const api = createApi(fetch);
    await expect(api.workspaces()).resolves.toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(fetch.mock.calls.map((call) => (call as unknown as [string])[0])).toEqual(Object.keys(pages));
  });

  it('takes a list without paging headers as one page', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, [{ id: 9, name: 'general' }]));
    const api = createApi(fetch);
    await expect(api.channels(4)).resolves.toEqual([{ id: 9, name: 'general' }]);
    await expect(api.dms()).resolves.toEqual([{ id: 9, name: 'general' }]);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/api/workspaces/4/channels?limit=200');
  });

  it("throws the server's message and status on an error", async () => {
    const api = createApi(async () => jsonResponse(401, { message: 'Invalid credentials' }));
    const error = await api.login('ana', 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ message: 'Invalid credentials', status: 401 });
  });

  it('exposes Retry-After on 429', async () => {
    const api = createApi(async () => jsonResponse(429, { message: 'Too many requests' }, { 'Retry-After': '5' }));
    await expect(api.sendMessage({ channelId: 1, content: 'x' })).rejects.toMatchObject({ status: 429, retryAfter: 5 });
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    const api = createApi(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.me()).rejects.toMatchObject({ status: 0 });
  });

  it('accepts empty bodies (204)', async () => {
    const api = createApi(async () => new Response(null, { status: 204 }));
    await expect(api.logout()).resolves.toBeUndefined();
  });
});
