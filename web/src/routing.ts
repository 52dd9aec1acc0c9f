/**
 * The client's addresses (History API): `/w/:workspace/c/:channel` a workspace
 * channel, `/dm/:channel` a DM, each with `?message=:id` to point at a message.
 * The server answers these paths with index.html, so reload and shared links work.
 */
export type Route =
  | { kind: 'home' }
  | { kind: 'channel'; workspaceId: number; channelId: number; messageId?: number }
  | { kind: 'dm'; channelId: number; messageId?: number };

const CHANNEL_PATH = /^\/w\/(\d+)\/c\/(\d+)\/?$/;
const DM_PATH = /^\/dm\/(\d+)\/?$/;

export function parseRoute(pathname: string, search = ''): Route {
  const messageId = positiveId(new URLSearchParams(search).get('message'));
  const withMessage = messageId === undefined ? {} : { messageId };
  const channel = CHANNEL_PATH.exec(pathname);
  if (channel) {
    const workspaceId = positiveId(channel[1]);
    const channelId = positiveId(channel[2]);
    if (workspaceId !== undefined && channelId !== undefined) return { kind: 'channel', workspaceId, channelId, ...withMessage };
  }
  const dm = DM_PATH.exec(pathname);
  if (dm) {
    const channelId = positiveId(dm[1]);
    if (channelId !== undefined) return { kind: 'dm', channelId, ...withMessage };
  }
  return { kind: 'home' };
}

export function formatRoute(route: Route): string {
  const message = route.kind !== 'home' && route.messageId !== undefined ? `?message=${route.messageId}` : '';
  switch (route.kind) {
    case 'home':
      return '/';
    case 'channel':
      return `/w/${route.workspaceId}/c/${route.channelId}${message}`;
    case 'dm':
      return `/dm/${route.channelId}${message}`;
  }
}

/** The same place, ignoring the message pointed at. */
export function sameChannel(a: Route, b: Route): boolean {
  if (a.kind === 'home' || b.kind === 'home') return a.kind === b.kind;
  return a.kind === b.kind && a.channelId === b.channelId;
}

function positiveId(text: string | null | undefined): number | undefined {
  if (!text || !/^\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}
