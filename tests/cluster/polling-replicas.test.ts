import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveMessage, ServerToClientEvents } from '../../shared/socket-events.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { startServer, type RunningServer } from '../../server/server-process.ts';
import { startWorker } from '../../workers/worker-process.ts';
import { ADMIN_PASSWORD, INGEST_TOKEN, testConfig } from '../support/app.ts';
import { startStickyProxy, type StickyProxy } from '../support/sticky-proxy.ts';

/**
 * socket.io long-polling (what a screen behind a proxy that refuses WebSocket uses) across two server
 * replicas behind a proxy routing like deploy/nginx.conf: a session's requests all reach the replica
 * that opened it, screens on either replica see every update, the socket.io adapter sees the sockets
 * of both, and without the stickiness a polling session cannot even connect.
 */

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const servers: RunningServer[] = [];
let worker: ReturnType<typeof startWorker>;
let backends: string[] = [];
const sockets: LiveSocket[] = [];

beforeAll(async () => {
  const config = testConfig();
  const log = createLogger('silent', 'test');
  servers.push(await startServer(config, config.REDIS_URL!, log), await startServer(config, config.REDIS_URL!, log));
  worker = startWorker(config, config.REDIS_URL!, log);
  backends = servers.map((s) => `http://127.0.0.1:${s.port}`);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await worker?.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** A socket.io client on long-polling only, as a browser whose WebSocket is refused ends up. */
function pollingSocket(proxy: StickyProxy, token: string, sticky: string): LiveSocket {
  const socket: LiveSocket = io(`${proxy.url}/live`, { auth: { token }, transports: ['polling'], query: { sticky }, reconnection: false });
  sockets.push(socket);
  return socket;
}

function follow(socket: LiveSocket, kpiId: string) {
  const state = { value: null as number | null, gaps: 0, seq: 0 };
  const apply = (message: LiveMessage, snapshot: boolean) => {
    if (!snapshot && message.seq !== state.seq + 1) state.gaps++;
    state.seq = message.seq;
    const kpi = message.kpis[kpiId];
    if (kpi) state.value = kpi.value;
  };
  socket.on('snapshot', (m) => apply(m, true));
  socket.on('delta', (m) => apply(m, false));
  return state;
}

async function until(predicate: () => boolean, what: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('long-polling across two server replicas', () => {
  it('keeps each polling session on the replica that opened it, and screens on both see every update', async () => {
    const proxy = await startStickyProxy(backends);
    try {
      const token = await login(proxy.url);
      // One sticky key routed to each replica.
      const keys = [0, 1].map((replica) => {
        for (let i = 0; ; i++) if (proxy.backendFor(`screen-${i}`) === replica) return `screen-${i}`;
      });
      const polling = keys.map((key) => pollingSocket(proxy, token, key));
      const walls = polling.map((s) => follow(s, 'hotline.signed'));
      await until(
        () => walls.every((w) => w.value !== null),
        () => `snapshots: ${JSON.stringify(walls)}`,
      );
      const start = walls[0]!.value!;
      for (let round = 1; round <= 3; round++) {
        // Through the proxy: the ingest requests go to either replica (round-robin).
        const events = Array.from({ length: 10 }, (_, i) => ({
          ticketId: `POLL-${round}-${i}`,
          type: 'signed',
          at: new Date().toISOString(),
        }));
        const res = await fetch(`${proxy.url}/api/ingest/hotline`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
          body: JSON.stringify({ events }),
        });
        expect(res.status).toBe(202);
        await until(
          () => walls.every((w) => w.value === start + 10 * round),
          () => `round ${round}: ${JSON.stringify(walls)}`,
        );
      }
      expect(walls.map((w) => w.gaps)).toEqual([0, 0]);
      expect(polling.map((s) => s.io.engine.transport.name)).toEqual(['polling', 'polling']);
      // Every request of a session reached one replica; the two sessions were held by different ones.
      const replicas = polling.map((s) => [...(proxy.sessions.get(s.io.engine.id!) ?? [])]);
      expect(replicas).toEqual([[0], [1]]);
      // The Redis Streams adapter sees polling sockets across servers as it does WebSocket ones.
      const seen = await servers[0]!.io.of('/live').fetchSockets();
      expect(seen.map((s) => s.id).sort()).toEqual(polling.map((s) => s.id).sort());
    } finally {
      await proxy.close();
    }
  });

  it('cannot connect on long-polling when the proxy spreads its requests over the replicas', async () => {
    const proxy = await startStickyProxy(backends, { sticky: false });
    try {
      const token = await login(proxy.url);
      const socket = pollingSocket(proxy, token, 'screen-unrouted');
      const outcome = await new Promise<string>((resolve) => {
        socket.on('connect', () => resolve('connected'));
        socket.on('connect_error', (e) => resolve(`connect_error: ${e.message}`));
        socket.io.on('error', (e) => resolve(`error: ${e.message}`));
        socket.io.on('close', (reason) => resolve(`close: ${reason}`));
      });
      expect(outcome).not.toBe('connected');
      // The handshake went to one replica, the next request to the other, which does not know the session.
      expect([...proxy.sessions.values()].some((served) => served.size === 2)).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
