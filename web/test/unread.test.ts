import { describe, expect, it } from 'vitest';
import { badgeText, titleWithUnread, UnreadTracker } from '../src/unread';
import { chatMessage } from './messages';

const ME = 1;
const away = { channelId: 99, visible: true };

describe('UnreadTracker', () => {
  it('counts others\u2019 messages outside the channel in front of the user, once each', () => {
    const unread = new UnreadTracker(ME);
    unread.seed(7, 2);

    expect(unread.onMessage(chatMessage({ id: 10, channelId: 7 }), away)).toBe(true);
    expect(unread.onMessage(chatMessage({ id: 10, channelId: 7 }), away)).toBe(false);
    expect(unread.onMessage(chatMessage({ id: 11, channelId: 7, authorId: ME }), away)).toBe(false);
    expect(unread.onMessage(chatMessage({ id: 12, channelId: 8 }), { channelId: 8, visible: true })).toBe(false);

    expect(unread.count(7)).toBe(3);
    expect(unread.count(8)).toBe(0);
    expect(unread.total()).toBe(3);
  });

  it('counts messages of the open channel while the tab is hidden', () => {
    const unread = new UnreadTracker(ME);

    unread.onMessage(chatMessage({ id: 10, channelId: 8 }), { channelId: 8, visible: false });

    expect(unread.count(8)).toBe(1);
  });

  it('clears a channel, forgets deleted messages and tells listeners', () => {
    const unread = new UnreadTracker(ME);
    let changes = 0;
    unread.onChange(() => changes++);
    unread.onMessage(chatMessage({ id: 10, channelId: 7 }), away);
    unread.onMessage(chatMessage({ id: 11, channelId: 7 }), away);

    unread.onDeleted(10, 7);
    unread.onDeleted(10, 7);
    expect(unread.count(7)).toBe(1);
    unread.clear(7);

    expect(unread.total()).toBe(0);
    expect(changes).toBe(4);
  });

  it('titles the tab with the total and caps badges', () => {
    expect(titleWithUnread('Parley', 0)).toBe('Parley');
    expect(titleWithUnread('Parley', 3)).toBe('(3) Parley');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(120)).toBe('99+');
  });
});
