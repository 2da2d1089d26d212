import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ImportProgress, LiveMessage, ServerToClientEvents, ClientToServerEvents } from '../../shared/socket-events.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { startServer, type RunningServer } from '../../server/server-process.ts';
import { startProcess, waitForHttp, type Proc } from '../../bench/processes.ts';
import { freePort } from '../support/redis-server.ts';
import { ADMIN_PASSWORD, INGEST_TOKEN, testConfig, uniquePrefix } from '../support/app.ts';

/**
 * Scale-out on one Redis: two server processes and two worker processes, as `start:server` and
 * `start:worker` run them. A wall connected to either server sees every update of records sent to
 * one of them; and through the socket.io Redis Streams adapter a room broadcast, `fetchSockets()` and
 * `disconnectSockets()` on one server reach the sockets held by the other.
 */

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login on ${base}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

function connect(base: string, token: string): LiveSocket {
  return io(`${base}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
}

/** Follows one KPI on a wall socket: its value after each snapshot or delta, and the seq continuity. */
function follow(socket: LiveSocket, kpiId: string) {
  const state = { value: null as number | null, seq: 0, gaps: 0, updates: 0, day: '' };
  const apply = (message: LiveMessage, snapshot: boolean) => {
    if (!snapshot && message.seq !== state.seq + 1) state.gaps++;
    state.seq = message.seq;
    state.day = message.day;
    const kpi = message.kpis[kpiId];
    if (kpi) {
      state.value = kpi.value;
      state.updates++;
    }
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

describe('two server processes and two worker processes on one Redis', () => {
  const procs: Proc[] = [];
  const sockets: LiveSocket[] = [];
  let bases: string[] = [];
  let today = '';

  beforeAll(async () => {
    const env = {
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: uniquePrefix(),
      HOST: '127.0.0.1',
      ADMIN_PASSWORD,
      INGEST_TOKEN,
      LIVE_COALESCE_MS: '50',
      LIVE_HEARTBEAT_MS: '1000',
    };
    const ports = [await freePort(), await freePort()];
    for (const port of ports) procs.push(startProcess('server/main.ts', { ...env, PORT: String(port) }));
    procs.push(startProcess('workers/main.ts', env), startProcess('workers/main.ts', env));
    bases = ports.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(bases.map((base) => waitForHttp(`${base}/api/health`)));
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(procs.map((p) => p.stop()));
  });

  it('shows a wall on either server every update of records sent to one server', async () => {
    const token = await login(bases[0]!);
    const walls = bases.map((base) => {
      const socket = connect(base, token);
      sockets.push(socket);
      return follow(socket, 'hotline.signed');
    });
    await until(
      () => walls.every((w) => w.value !== null),
      () => `snapshots: ${JSON.stringify(walls)}`,
    );
    const start = walls[0]!.value!;
    expect(walls[1]!.value).toBe(start);

    for (let round = 1; round <= 5; round++) {
      const events = Array.from({ length: 20 }, (_, i) => ({
        ticketId: `SCALE-${round}-${i}`,
        type: 'signed',
        at: new Date().toISOString(),
      }));
      const res = await fetch(`${bases[0]}/api/ingest/hotline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify({ events }),
      });
      expect(res.status).toBe(202);
      const expected = start + 20 * round;
      await until(
        () => walls.every((w) => w.value === expected),
        () => `round ${round}: want ${expected}, walls ${JSON.stringify(walls)}`,
      );
    }
    for (const wall of walls) expect(wall.gaps).toBe(0);
    today = walls[0]!.day;
  }, 60_000);

  it('answers the same figures from either server', async () => {
    const token = await login(bases[1]!);
    const [a, b] = await Promise.all(
      bases.map(
        async (base) =>
          (
            (await (
              await fetch(`${base}/api/kpis?from=${today}&to=${today}`, { headers: { authorization: `Bearer ${token}` } })
            ).json()) as { kpis: Record<string, { value: number }> }
          ).kpis,
      ),
    );
    expect(a!['hotline.signed']!.value).toBeGreaterThanOrEqual(100);
    expect(b!['hotline.signed']!.value).toBe(a!['hotline.signed']!.value);
  });
});

describe('socket.io rooms across servers (Redis Streams adapter)', () => {
  const servers: RunningServer[] = [];
  const sockets: LiveSocket[] = [];

  beforeAll(async () => {
    const config = testConfig({ REDIS_PREFIX: uniquePrefix() });
    const log = createLogger('silent', 'test');
    servers.push(await startServer(config, config.REDIS_URL!, log), await startServer(config, config.REDIS_URL!, log));
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('carries a room broadcast, fetchSockets and disconnectSockets from one server to a socket on the other', async () => {
    const [a, b] = servers.map((s) => `http://127.0.0.1:${s.port}`) as [string, string];
    const token = await login(a);
    const onB = connect(b, token);
    sockets.push(onB);
    await new Promise<void>((resolve, reject) => {
      onB.once('connect', () => resolve());
      onB.once('connect_error', reject);
    });
    // The socket joins room import:<id> on server B (a manager following an import).
    await new Promise((resolve) => onB.emit('import:watch', 'scale-out-room', resolve));

    const nspA = servers[0]!.io.of('/live');
    const remote = await nspA.in('import:scale-out-room').fetchSockets();
    expect(remote.map((s) => s.id)).toEqual([onB.id]);

    const progress = { importId: 'scale-out-room', phase: 'reading', rowsRead: 42 } as unknown as ImportProgress;
    const received = new Promise<ImportProgress>((resolve) => onB.once('import:progress', resolve));
    nspA.to('import:scale-out-room').emit('import:progress', progress);
    expect(await received).toMatchObject({ importId: 'scale-out-room', rowsRead: 42 });

    const disconnected = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    nspA.in('import:scale-out-room').disconnectSockets(true);
    expect(await disconnected).toBe('io server disconnect');
  });
});
