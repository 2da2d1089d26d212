import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An outside system for the pull-connector tests: a JSON export interface on 127.0.0.1 that the test
 * scripts route by route. It records every request (path, query, headers, status) and how many
 * requests of a route were in flight at once.
 */
export interface UpstreamRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  status: number;
}

export type UpstreamReply = { status?: number; body: unknown };
export type UpstreamHandler = (req: { query: URLSearchParams; headers: IncomingHttpHeaders }) => UpstreamReply;

export interface FakeUpstream {
  baseUrl: string;
  requests: UpstreamRequest[];
  route(path: string, handler: UpstreamHandler, options?: { delayMs?: number }): void;
  /** The next `n` requests of `path` answer `status` with a short text body. */
  failNext(path: string, n: number, status?: number): void;
  /** The next `n` requests of `path` are answered only after `ms`. */
  stallNext(path: string, n: number, ms: number): void;
  /** Most requests of `path` ever in flight at once. */
  maxInFlight(path: string): number;
  /** Requests of `path`, in arrival order. */
  of(path: string): UpstreamRequest[];
  close(): Promise<void>;
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const routes = new Map<string, { handler: UpstreamHandler; delayMs: number }>();
  const failures = new Map<string, { n: number; status: number }>();
  const stalls = new Map<string, { n: number; ms: number }>();
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const requests: UpstreamRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const path = url.pathname;
      const record: UpstreamRequest = { path, query: url.searchParams, headers: req.headers, status: 0 };
      requests.push(record);
      inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
      peak.set(path, Math.max(peak.get(path) ?? 0, inFlight.get(path)!));
      try {
        const stall = stalls.get(path);
        if (stall && stall.n > 0) {
          stall.n--;
          await wait(stall.ms);
        }
        const failure = failures.get(path);
        const route = routes.get(path);
        let reply: UpstreamReply;
        if (failure && failure.n > 0) {
          failure.n--;
          reply = { status: failure.status, body: 'upstream overloaded, try later' };
        } else if (!route) reply = { status: 404, body: 'no such route' };
        else {
          if (route.delayMs > 0) await wait(route.delayMs);
          reply = route.handler({ query: url.searchParams, headers: req.headers });
        }
        record.status = reply.status ?? 200;
        if (res.destroyed) return;
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(record.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' });
        res.end(text);
      } finally {
        inFlight.set(path, inFlight.get(path)! - 1);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    route: (path, handler, options = {}) => routes.set(path, { handler, delayMs: options.delayMs ?? 0 }),
    failNext: (path, n, status = 500) => failures.set(path, { n, status }),
    stallNext: (path, n, ms) => stalls.set(path, { n, ms }),
    maxInFlight: (path) => peak.get(path) ?? 0,
    of: (path) => requests.filter((r) => r.path === path),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
