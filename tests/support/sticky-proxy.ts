import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A tiny stand-in for deploy/nginx.conf in front of several servers, for tests: `/socket.io/` requests
 * go to the backend chosen by a hash of their `sticky` query key (the client's address when absent),
 * as nginx's `hash $live_route consistent` does; everything else round-robin. `sticky: false` sends
 * socket.io round-robin too, as the old configuration (least_conn) would. It records, per engine.io
 * session id (`sid`), which backends served that session's requests.
 */
export interface StickyProxy {
  url: string;
  /** The backend index a sticky key is routed to. */
  backendFor(key: string): number;
  /** sid → backend indexes that served requests of that session. */
  sessions: Map<string, Set<number>>;
  close(): Promise<void>;
}

export async function startStickyProxy(backends: readonly string[], options: { sticky?: boolean } = {}): Promise<StickyProxy> {
  const sticky = options.sticky ?? true;
  const targets = backends.map((b) => new URL(b));
  const sessions = new Map<string, Set<number>>();
  const backendFor = (key: string) => createHash('sha256').update(key).digest().readUInt32BE(0) % targets.length;
  const upgraded = new Set<Socket>();
  let next = 0;
  const choose = (req: IncomingMessage): number => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    let index: number;
    if (sticky && url.pathname.startsWith('/socket.io/'))
      index = backendFor(url.searchParams.get('sticky') || (req.socket.remoteAddress ?? ''));
    else index = next++ % targets.length;
    const sid = url.searchParams.get('sid');
    if (sid) sessions.set(sid, (sessions.get(sid) ?? new Set()).add(index));
    return index;
  };

  const server: Server = createServer((req, res) => {
    const target = targets[choose(req)]!;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // WebSocket upgrades: the raw bytes both ways, to the backend the same rule picks.
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = targets[choose(req)]!;
    const upstream = connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upgraded.add(client).add(upstream);
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backendFor,
    sessions,
    close: () =>
      new Promise((resolve) => {
        for (const socket of upgraded) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
