import { describe, expect, it } from 'vitest';
import { dayKey, dayLabel, startsNewDay } from '../src/reading/days';
import { firstUnreadId } from '../src/reading/firstUnread';
import { mentions, shouldNotify } from '../src/notifications';
import { chatMessage } from './messages';

/** A local time on a given day, as the ISO string the server sends. */
function local(year: number, month: number, day: number, hour = 12): string {
  return new Date(year, month - 1, day, hour).toISOString();
}

describe('date separators', () => {
  it('start at the first message and at each new local day', () => {
    expect(startsNewDay(null, local(2026, 11, 26))).toBe(true);
    expect(startsNewDay(local(2026, 11, 26, 9), local(2026, 11, 26, 23))).toBe(false);
    expect(startsNewDay(local(2026, 11, 26, 23), local(2026, 11, 27, 0))).toBe(true);
    expect(dayKey(local(2026, 3, 5))).toBe('2026-03-05');
    expect(dayKey('not a time')).toBe('');
  });

  it('say Today, Yesterday, or the date', () => {
    const now = new Date(2026, 10, 26, 15);
    expect(dayLabel(local(2026, 11, 26, 1), now)).toBe('Today');
    expect(dayLabel(local(2026, 11, 25, 23), now)).toBe('Yesterday');
    expect(dayLabel(local(2026, 11, 20), now)).toContain('20');
    expect(dayLabel(local(2025, 11, 20), now)).toContain('2025');
  });
});

describe('firstUnreadId', () => {
  const me = 1;
  const history = [
    chatMessage({ id: 1 }),
    chatMessage({ id: 2 }),
    chatMessage({ id: 3, authorId: me }),
    chatMessage({ id: 4 }),
  ];

  it('is the oldest of the newest others\u2019 messages the count covers', () => {
    expect(firstUnreadId(history, 1, me)).toBe(4);
    expect(firstUnreadId(history, 2, me)).toBe(2);
    expect(firstUnreadId(history, 0, me)).toBeUndefined();
  });

  it('is the first other\u2019s message when more are unread than shown', () => {
    expect(firstUnreadId(history, 10, me)).toBe(1);
    expect(firstUnreadId([chatMessage({ id: 5, authorId: me })], 3, me)).toBeUndefined();
  });
});

describe('notifications', () => {
  it('recognise a mention of the name as a whole word, ignoring case', () => {
    expect(mentions('hi @Ana, look', ['ana'])).toBe(true);
    expect(mentions('ANA: ready?', ['ana'])).toBe(true);
    expect(mentions('banana bread', ['ana'])).toBe(false);
    expect(mentions('Ana Lopez said', ['ana', 'Ana Lopez'])).toBe(true);
    expect(mentions('nothing here', ['ana', ''])).toBe(false);
  });

  it('fire for DMs and mentions that are not in front of the user', () => {
    const base = { myUserId: 1, myNames: ['ana'], isDm: false, openChannelId: 3, visible: true };
    const mention = chatMessage({ id: 1, channelId: 7, content: 'ana, see this' });
    expect(shouldNotify(mention, base)).toBe(true);
    expect(shouldNotify(chatMessage({ id: 2, channelId: 7 }), base)).toBe(false);
    expect(shouldNotify(chatMessage({ id: 3, channelId: 7 }), { ...base, isDm: true })).toBe(true);
    expect(shouldNotify(chatMessage({ id: 4, channelId: 3 }), { ...base, isDm: true })).toBe(false);
    expect(shouldNotify(chatMessage({ id: 5, channelId: 3 }), { ...base, isDm: true, visible: false })).toBe(true);
    expect(shouldNotify(chatMessage({ id: 6, channelId: 7, authorId: 1, content: 'ana' }), base)).toBe(false);
  });
});
