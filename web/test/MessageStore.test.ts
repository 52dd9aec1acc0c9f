import { describe, expect, it } from 'vitest';
import { MessageStore } from '../src/MessageStore';
import { chatMessage } from './messages';

const ME = 1;

describe('MessageStore', () => {
  it('merges history and live messages by id, in seq order', () => {
    const store = new MessageStore(ME);
    store.add([chatMessage({ id: 3 }), chatMessage({ id: 4 })]);
    expect(store.add([chatMessage({ id: 4 }), chatMessage({ id: 5 })])).toBe(1);
    store.add([chatMessage({ id: 1 }), chatMessage({ id: 2 })]); // older page
    expect(store.items().map((item) => (item.kind === 'message' ? item.message.id : -1))).toEqual([1, 2, 3, 4, 5]);
    expect(store.oldestId()).toBe(1);
    expect(store.newestSeq()).toBe(5);
  });

  it('replaces a pending send by its echo under the same key', () => {
    const store = new MessageStore(ME);
    store.add([chatMessage({ id: 1 })]);
    store.addPending('abc', 'hello');
    const pendingKey = store.items()[1]?.key;
    store.add([chatMessage({ id: 2, authorId: ME, content: 'hello', clientMsgId: 'abc' })]);
    const items = store.items();
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ kind: 'message', key: pendingKey });
  });

  it('forgets the messages before a truncated replay, so older pages start from the replayed ones', () => {
    const store = new MessageStore(ME);
    store.add([1, 2, 3, 40, 41].map((id) => chatMessage({ id })));
    store.forgetThrough(39);
    expect(store.items().map((item) => (item.kind === 'message' ? item.message.seq : -1))).toEqual([40, 41]);
    expect(store.oldestId()).toBe(40);
  });

  it('records read receipts once', () => {
    const store = new MessageStore(ME);
    store.add([chatMessage({ id: 1, authorId: ME })]);
    expect(store.markRead(1, 2)).toBe(true);
    expect(store.markRead(1, 2)).toBe(false);
    expect(store.get(1)?.readBy).toEqual([2]);
  });

  it('applies edits once, newest edit winning, keeping read receipts', () => {
    const store = new MessageStore(ME);
    store.add([chatMessage({ id: 1, authorId: ME, content: 'teh plan' })]);
    store.markRead(1, 2);
    const first = chatMessage({ id: 1, authorId: ME, content: 'the plan', editedAt: '2026-11-26T17:05:00.000Z' });
    const second = chatMessage({ id: 1, authorId: ME, content: 'the new plan', editedAt: '2026-11-26T17:06:00.000Z' });

    expect(store.applyEdit(first)).toBe(true);
    expect(store.applyEdit(first)).toBe(false);
    expect(store.applyEdit(second)).toBe(true);
    // The HTTP answer of the first edit arriving after the second's event changes nothing.
    expect(store.applyEdit(first)).toBe(false);
    expect(store.applyEdit(chatMessage({ id: 9, editedAt: '2026-11-26T17:06:00.000Z' }))).toBe(false);
    expect(store.applyEdit(chatMessage({ id: 1, content: 'no edit time' }))).toBe(false);

    const shown = store.get(1)!;
    expect(shown.content).toBe('the new plan');
    expect(shown.editedAt).toBe('2026-11-26T17:06:00.000Z');
    expect(shown.readBy).toEqual([2]);
  });
});
