/**
 * Event-to-wall latency: 50 wall screens (display-token sockets on `/live`) while hotline records arrive at a
 * fixed rate. For every ingest request, the time from its 202 to the first delta on each wall whose
 * `hotline.signed` includes it. Server and worker run as separate processes with the default coalescing
 * (LIVE_COALESCE_MS). Usage: `node bench/wall-latency.ts [rates…]` (default 1000 10000 records/s);
 * WALL_SECONDS sets the sending time per rate (default 20). Writes the section "wall-latency" of bench/RESULTS.md.
 */
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../core/platform/config.ts';
import type { LiveMessage } from '../shared/socket-events.ts';
import { freePort, startTestRedis } from '../tests/support/redis-server.ts';
import { rssMiB, startProcess, waitForHttp } from './processes.ts';
import { writeSection } from './results.ts';

const WALLS = 50;
const SECONDS = Number(process.env.WALL_SECONDS ?? 20);
const RATES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rates = RATES.length > 0 ? RATES : [1_000, 10_000];
const REQUESTS_PER_SECOND = 10;
/** The first seconds warm the processes up (JIT, connection pools) and are sent but not measured. */
const WARMUP_SECONDS = 2;
const ADMIN_PASSWORD = 'bench-password';
const INGEST_TOKEN = 'bench-ingest-token-0123456789';

const say = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const redis = await startTestRedis({ appendonly: true });
const port = await freePort();
const env = {
  REDIS_URL: redis.url,
  PORT: String(port),
  HOST: '127.0.0.1',
  ADMIN_PASSWORD,
  INGEST_TOKEN,
  INGEST_MAX_BACKLOG_JOBS: '100000',
};
const server = startProcess('server/main.ts', env);
const worker = startProcess('workers/main.ts', env);
const base = `http://127.0.0.1:${port}`;
const rows: string[] = [];

try {
  await waitForHttp(`${base}/api/health`);
  const post = async (path: string, body: unknown, token: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const login = (await (await post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, '')).json()) as { token: string };
  const display = (await (await post('/api/admin/display-tokens', { name: 'bench wall' }, login.token)).json()) as { token: string };

  for (const rate of rates) {
    const perRequest = Math.round(rate / REQUESTS_PER_SECOND);
    // Each wall follows snapshot + deltas; `seen(v)` fires when its figure first reaches v.
    const walls: { socket: Socket; value: number; waiters: { target: number; sentAt: number; done: (ms: number) => void }[] }[] = [];
    for (let i = 0; i < WALLS; i++) {
      const socket = io(`${base}/live`, { auth: { token: display.token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const wall = { socket, value: -1, waiters: [] as { target: number; sentAt: number; done: (ms: number) => void }[] };
      const apply = (m: LiveMessage) => {
        const v = m.kpis['hotline.signed']?.value;
        if (typeof v !== 'number') return;
        wall.value = v;
        const now = performance.now();
        wall.waiters = wall.waiters.filter((w) => (v >= w.target ? (w.done(now - w.sentAt), false) : true));
      };
      socket.on('snapshot', apply);
      socket.on('delta', apply);
      walls.push(wall);
    }
    await new Promise<void>((resolve) => {
      const check = setInterval(() => walls.every((w) => w.value >= 0) && (clearInterval(check), resolve()), 20);
    });
    const start = walls[0]!.value;
    say(`rate ${rate}/s: ${WALLS} walls connected at hotline.signed = ${start}; sending for ${SECONDS} s`);

    const latencies: number[] = [];
    const pending: Promise<unknown>[] = [];
    let sent = 0;
    let accepted = 0;
    const t0 = performance.now();
    const warmup = REQUESTS_PER_SECOND * WARMUP_SECONDS;
    const total = warmup + REQUESTS_PER_SECOND * SECONDS;
    for (let r = 0; r < total; r++) {
      const due = t0 + (r * 1000) / REQUESTS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const at = new Date().toISOString();
      const events = Array.from({ length: perRequest }, (_, k) => ({
        ticketId: `WL-${rate}-${r}-${k}`,
        type: 'signed',
        at,
        street: '朝阳街道',
        category: '城市管理',
      }));
      sent += perRequest;
      const request = post('/api/ingest/hotline', { events }, INGEST_TOKEN).then(async (res) => {
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
        const sentAt = performance.now();
        // The figure includes this request once it reaches the count of every record accepted before its 202.
        accepted += perRequest;
        const target = start + accepted;
        const record = (ms: number) => r >= warmup && latencies.push(ms);
        await Promise.all(
          walls.map((w) =>
            w.value >= target
              ? record(0)
              : new Promise<void>((done) => w.waiters.push({ target, sentAt, done: (ms) => (record(ms), done()) })),
          ),
        );
      });
      pending.push(request);
    }
    await Promise.race([
      Promise.all(pending),
      new Promise((_, rej) => setTimeout(() => rej(new Error('walls did not catch up within 60 s')), SECONDS * 1000 + 60_000)),
    ]);
    const elapsedS = (performance.now() - t0) / 1000;
    const sorted = latencies.sort((a, b) => a - b);
    const [serverMiB, workerMiB] = await Promise.all([rssMiB(server.child.pid!), rssMiB(worker.child.pid!)]);
    const row = `| ${rate.toLocaleString('en')} | ${sent.toLocaleString('en')} in ${elapsedS.toFixed(1)} s | ${WALLS} | ${sorted.length.toLocaleString('en')} | ${percentile(sorted, 0.5).toFixed(0)} | ${percentile(sorted, 0.99).toFixed(0)} | ${sorted.at(-1)!.toFixed(0)} | ${serverMiB} / ${workerMiB} |`;
    say(row);
    rows.push(row);
    for (const w of walls) w.socket.disconnect();
  }

  writeSection(
    'wall-latency',
    [
      `Event to wall: ${WALLS} display-token sockets on \`/live\`, hotline records sent as ${REQUESTS_PER_SECOND} requests a second for ${SECONDS} s after ${WARMUP_SECONDS} s of unmeasured warm-up; per request and wall, the time from its 202 to the first delta whose \`hotline.signed\` includes it (default coalescing ${loadConfig({}).LIVE_COALESCE_MS} ms; server and worker in separate processes, Redis AOF on).`,
      '',
      '| records/s | sent | walls | samples | p50 ms | p99 ms | max ms | RSS server / worker MiB |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
} finally {
  await server.stop();
  await worker.stop();
  await redis.stop();
}
