import type { ChatMessage } from '../socket/protocol';

/**
 * Where the "new messages" divider goes: before the oldest of the `unreadCount`
 * newest messages written by others (the server counts others' messages after the
 * read cursor). Undefined when nothing is unread or the history shown is shorter.
 */
export function firstUnreadId(messages: readonly ChatMessage[], unreadCount: number, myUserId: number): number | undefined {
  if (unreadCount <= 0) return undefined;
  let remaining = unreadCount;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.authorId === myUserId) continue;
    remaining -= 1;
    if (remaining === 0) return message.id;
  }
  return messages.find((m) => m.authorId !== myUserId)?.id;
}
