/** The query parameter every socket.io request of a page carries, for the sticky proxy (deploy/nginx.conf). */
export const STICKY_PARAM = 'sticky';

/**
 * socket.io options of every live socket. Long-polling first (plain HTTP requests, which office proxies
 * that refuse WebSocket still pass), upgraded to WebSocket when the upgrade succeeds. `sticky` is sent
 * on every request of the connection: the proxy in front of several servers routes on it
 * (deploy/nginx.conf), since a long-polling session lives in one server process.
 */
export function liveSocketOptions(token: string) {
  return {
    auth: { token },
    transports: ['polling', 'websocket'],
    upgrade: true,
    query: { [STICKY_PARAM]: stickyKey() },
  };
}

/** A random key per page, kept across reconnections so a screen keeps reaching the same server. */
let pageStickyKey: string | undefined;
function stickyKey(): string {
  pageStickyKey ??= Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
  return pageStickyKey;
}
