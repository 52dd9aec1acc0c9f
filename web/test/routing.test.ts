import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, sameChannel, type Route } from '../src/routing';

describe('routing', () => {
  it.each<[string, string, Route]>([
    ['/w/3/c/12', '', { kind: 'channel', workspaceId: 3, channelId: 12 }],
    ['/w/3/c/12/', '', { kind: 'channel', workspaceId: 3, channelId: 12 }],
    ['/dm/40', '', { kind: 'dm', channelId: 40 }],
    ['/w/3/c/12', '?message=77', { kind: 'channel', workspaceId: 3, channelId: 12, messageId: 77 }],
    ['/dm/40', '?message=5&x=1', { kind: 'dm', channelId: 40, messageId: 5 }],
    ['/', '', { kind: 'home' }],
    ['/w/3', '', { kind: 'home' }],
    ['/w/0/c/12', '', { kind: 'home' }],
    ['/w/x/c/12', '', { kind: 'home' }],
    ['/dm/40/extra', '', { kind: 'home' }],
    ['/dm/40', '?message=-1', { kind: 'dm', channelId: 40 }],
    ['/dm/99999999999999999', '', { kind: 'home' }],
  ])('parses %s%s', (path, search, expected) => {
    expect(parseRoute(path, search)).toEqual(expected);
  });

  it('formats what it parses', () => {
    const routes: Route[] = [
      { kind: 'home' },
      { kind: 'channel', workspaceId: 3, channelId: 12 },
      { kind: 'channel', workspaceId: 3, channelId: 12, messageId: 77 },
      { kind: 'dm', channelId: 40, messageId: 5 },
    ];
    for (const route of routes) {
      const url = new URL(formatRoute(route), 'http://parley.test');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });

  it('compares channels without the message', () => {
    expect(sameChannel({ kind: 'dm', channelId: 4 }, { kind: 'dm', channelId: 4, messageId: 9 })).toBe(true);
    expect(sameChannel({ kind: 'dm', channelId: 4 }, { kind: 'channel', workspaceId: 1, channelId: 4 })).toBe(false);
    expect(sameChannel({ kind: 'home' }, { kind: 'home' })).toBe(true);
  });
});
