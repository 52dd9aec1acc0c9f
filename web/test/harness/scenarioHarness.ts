/**
 * The web client's side of the client scenario table (tests/client-scenarios):
 * the real ChatSocketClient and HTTP API wrapper, driven step by step from
 * tests/Parley.Web.Tests through `window.parleyScenario` in headless Chromium.
 * Built on its own (`npm run build:harness`, to dist-harness/), never into the
 * app's dist/: nothing here ships to users.
 *
 * Each step answers with a plain JSON outcome in the table's shapes; the .NET
 * runner compares them with the table, exactly as it does the .NET client's.
 */
import { ApiError, createApi } from '../../src/api';
import { ChatSocketClient } from '../../src/socket/ChatSocketClient';
import type { ChatMessage } from '../../src/socket/protocol';

type Failed = { failed: string; message?: string };
type SendOutcome = { id: number; seq: number; content: string } | Failed;

/** Every frame the server sent on this page's /ws/chat sockets, parsed, for the requestId checks. */
const frames: unknown[] = [];

class RecordingWebSocket extends WebSocket {
  constructor(url: string | URL) {
    super(url);
    this.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      try {
        frames.push(JSON.parse(event.data));
      } catch {
        // Not JSON: nothing to check.
      }
    });
  }
}

const api = createApi();
const received = new Map<number, ChatMessage[]>();
const edits: ChatMessage[] = [];
let client: ChatSocketClient | null = null;

function connected(): ChatSocketClient {
  if (!client) throw new Error('connect first');
  return client;
}

const failure = (code: string | undefined, message: string): Failed => ({ failed: code ?? 'unknown', message });

function joinOutcome(chat: ChatSocketClient, channelId: number): Promise<'joined' | Failed> {
  return new Promise((resolve) => {
    const stops = [
      chat.on('joined_channel', (event) => {
        if (event.channelId === channelId) done('joined');
      }),
      chat.on('error', (error) => {
        if (error.request?.kind === 'join' && error.request.channelId === channelId) done(failure(error.code, error.message));
      }),
    ];
    function done(outcome: 'joined' | Failed): void {
      for (const stop of stops) stop();
      resolve(outcome);
    }
  });
}

function sendOutcomes(chat: ChatSocketClient, channelId: number, texts: string[], clientMsgIds: (string | null)[]): Promise<SendOutcome[]> {
  const waiting = new Map<string, (outcome: SendOutcome) => void>();
  const stops = [
    chat.on('sent', ({ clientMsgId, message }) => waiting.get(clientMsgId)?.({ id: message.id, seq: message.seq ?? 0, content: message.content })),
    chat.on('send_failed', (failed) => waiting.get(failed.clientMsgId)?.(failure(failed.code, failed.message))),
  ];
  const outcomes = texts.map((text, index) => {
    const given = clientMsgIds[index] ?? undefined;
    const clientMsgId = chat.send(channelId, text, given === undefined ? {} : { clientMsgId: given });
    return new Promise<SendOutcome>((resolve) => waiting.set(clientMsgId, resolve));
  });
  return Promise.all(outcomes).finally(() => {
    for (const stop of stops) stop();
  });
}

const harness = {
  async connect(username: string, password: string): Promise<number> {
    await api.login(username, password);
    const chat = new ChatSocketClient({ WebSocket: RecordingWebSocket });
    chat.on('new_message', (event) => {
      const list = received.get(event.message.channelId) ?? [];
      list.push(event.message);
      received.set(event.message.channelId, list);
    });
    chat.on('message_updated', (event) => edits.push(event.message));
    client = chat;
    const user = new Promise<number>((resolve) => {
      const stop = chat.on('connected', (event) => {
        stop();
        resolve(event.userId);
      });
    });
    chat.connect();
    return user;
  },

  join(channelId: number): Promise<'joined' | Failed> {
    const chat = connected();
    const outcome = joinOutcome(chat, channelId);
    chat.join(channelId);
    return outcome;
  },

  leave(channelId: number): Promise<'left'> {
    const chat = connected();
    return new Promise((resolve) => {
      const stop = chat.on('left_channel', (event) => {
        if (event.channelId !== channelId) return;
        stop();
        resolve('left');
      });
      chat.leave(channelId);
    });
  },

  send(channelId: number, texts: string[], clientMsgIds: (string | null)[]): Promise<SendOutcome[]> {
    return sendOutcomes(connected(), channelId, texts, clientMsgIds);
  },

  /** A join and sends written at once, without waiting for the join's answer. */
  async joinAndSend(channelId: number, texts: string[]): Promise<{ join: 'joined' | Failed; sends: SendOutcome[] }> {
    const chat = connected();
    const join = joinOutcome(chat, channelId);
    chat.join(channelId);
    const sends = sendOutcomes(chat, channelId, texts, []);
    return { join: await join, sends: await sends };
  },

  async edit(messageId: number, content: string): Promise<'edited' | Failed> {
    try {
      await api.editMessage(messageId, content);
      return 'edited';
    } catch (error) {
      if (error instanceof ApiError) return failure(String(error.status), error.message);
      throw error;
    }
  },

  async history(channelId: number): Promise<string[]> {
    return (await api.messages(channelId)).map((message) => message.content);
  },

  messages(channelId: number): string[] {
    return (received.get(channelId) ?? []).map((message) => message.content);
  },

  edits(channelId: number): { seq: number; content: string }[] {
    return edits.filter((message) => message.channelId === channelId).map((message) => ({ seq: message.seq ?? 0, content: message.content }));
  },

  frames(): unknown[] {
    return frames;
  },
};

declare global {
  interface Window {
    parleyScenario: typeof harness;
  }
}

window.parleyScenario = harness;
