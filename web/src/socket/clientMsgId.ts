import { MAX_CLIENT_MSG_ID_LENGTH } from './protocol';

/**
 * A random id for one send (32 hex characters, within the server's 64-character
 * limit). getRandomValues is used rather than crypto.randomUUID because the latter
 * only exists in secure contexts, and a self-hosted server may be reached over
 * plain http on a LAN address.
 */
export function newClientMsgId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0');
  return id.slice(0, MAX_CLIENT_MSG_ID_LENGTH);
}
