import type { ChatMessage } from '../src/socket/protocol';

/** A chat message as the server sends it, with overridable fields. */
export function chatMessage(overrides: Partial<ChatMessage> & { id: number }): ChatMessage {
  return {
    channelId: 7,
    authorId: 2,
    authorUsername: 'ben',
    content: `message ${overrides.id}`,
    messageType: 'text',
    fileUrl: null,
    readBy: [],
    createdAt: '2026-11-26T17:03:00.123Z',
    seq: overrides.id,
    clientMsgId: null,
    ...overrides,
  };
}

export function newMessageEvent(message: ChatMessage): object {
  return { type: 'new_message', message, channelId: message.channelId };
}
