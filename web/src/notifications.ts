import type { ChatMessage } from './socket/protocol';

/** True when the text mentions the user: `@username` or their display name as a whole word, ignoring case. */
export function mentions(content: string, names: readonly string[]): boolean {
  const lower = content.toLowerCase();
  return names.some((name) => {
    const wanted = name.trim().toLowerCase();
    if (wanted.length < 2) return false;
    let from = 0;
    for (;;) {
      const at = lower.indexOf(wanted, from);
      if (at < 0) return false;
      const before = at === 0 ? '' : lower[at - 1]!;
      const after = lower[at + wanted.length] ?? '';
      if (!isWordChar(before) && !isWordChar(after)) return true;
      from = at + 1;
    }
  });
}

function isWordChar(char: string): boolean {
  return char !== '' && /[\p{L}\p{N}_]/u.test(char);
}

/**
 * Whether a live message deserves a browser notification: someone else's, in a DM
 * or naming the user, and not already in front of them (its channel open in a
 * visible tab).
 */
export function shouldNotify(
  message: ChatMessage,
  context: { myUserId: number; myNames: readonly string[]; isDm: boolean; openChannelId: number | null; visible: boolean },
): boolean {
  if (message.authorId === context.myUserId) return false;
  if (context.visible && context.openChannelId === message.channelId) return false;
  return context.isDm || mentions(message.content, context.myNames);
}
