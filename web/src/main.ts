import { ApiError, createApi, type User } from './api';
import { ChatView } from './ui/ChatView';
import { LoginView } from './ui/LoginView';

/**
 * Entry point: shows the chat if the session cookie is still valid, else the login
 * form, and switches between the two as the session starts and ends.
 */
const root = document.getElementById('app');
if (!root) throw new Error('#app is missing from index.html');
const app: HTMLElement = root;
const api = createApi();
let chat: ChatView | null = null;

function showLogin(message?: string): void {
  chat?.dispose();
  chat = null;
  app.replaceChildren(new LoginView(api, showChat, message).element);
}

function showChat(user: User): void {
  chat?.dispose();
  chat = new ChatView(api, user, showLogin);
  app.replaceChildren(chat.element);
  chat.start();
}

async function boot(): Promise<void> {
  try {
    showChat(await api.me());
  } catch (error) {
    // 401 just means "not logged in"; anything else is worth telling.
    showLogin(error instanceof ApiError && error.status !== 401 ? error.message : undefined);
  }
}

void boot();
