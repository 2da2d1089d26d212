import { Redis } from 'ioredis';
import { freePort, startTestRedis, type TestRedis } from '../tests/support/redis-server.ts';
import { rssMiB, startProcess, waitForHttp, type Proc } from './processes.ts';
import type { Batch } from './year-batches.ts';
import { calendarDayOf, toWallMs } from '../scripts/simulator/calendar.ts';
import { startLiveStream, type LiveState, type LiveStream } from '../scripts/simulator/live.ts';
import { generateToday } from '../scripts/simulator/today.ts';
import { dayStartUtc, localDayHour, type LocalDay } from '../shared/time.ts';

/** The simulator's (and Pulse's default report) time zone. */
const SIMULATOR_TZ = 'Asia/Shanghai';

export const ADMIN_PASSWORD = 'bench-root-passphrase';
export const INGEST_TOKEN = 'bench-ingest-token-0123456789';
/** Concurrent HTTP senders, as several source systems would post at once. */
export const SENDERS = 4;

/**
 * How the bench's Redis fsyncs its AOF: `always` as Pulse deploys it (a 202 is on disk), or
 * `BENCH_APPENDFSYNC=everysec` to measure what that costs.
 */
export const APPENDFSYNC = process.env.BENCH_APPENDFSYNC === 'everysec' ? 'everysec' : 'always';

/** A fresh Redis (AOF on, fsynced as deployed: APPENDFSYNC), one server process and `workers` worker processes. */
export interface Deployment {
  redis: TestRedis;
  client: Redis;
  base: string;
  server: Proc;
  workers: Proc[];
  token: string;
  stop(): Promise<void>;
}

/** The environment of a benchmarked Pulse: its Redis and port, the bench's credentials, no backlog or rate limit in the way. */
export function benchEnv(redisUrl: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_PASSWORD,
    INGEST_TOKEN,
    INGEST_MAX_BACKLOG_JOBS: '100000',
    INGEST_REQUESTS_PER_MINUTE: '1000000',
    ...extra,
  };
}

export async function deploy(workers: number, extraEnv: Record<string, string> = {}): Promise<Deployment> {
  const redis = await startTestRedis({ appendonly: true, appendfsync: APPENDFSYNC });
  const port = await freePort();
  const env = benchEnv(redis.url, port, extraEnv);
  const server = startProcess('server/main.ts', env);
  const workerProcs = Array.from({ length: workers }, () => startProcess('workers/main.ts', env));
  const base = `http://127.0.0.1:${port}`;
  const client = new Redis(redis.url);
  const stop = async () => {
    client.disconnect();
    await Promise.all(workerProcs.map((w) => w.stop()));
    await server.stop();
    await redis.stop();
  };
  try {
    await waitForHttp(`${base}/api/health`);
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { token } = (await res.json()) as { token: string };
    return { redis, client, base, server, workers: workerProcs, token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface IngestTiming {
  /** Seconds until every request had its 202. */
  acceptedSeconds: number;
  /** Seconds until GET /api/ingest/status said idle (everything applied). */
  idleSeconds: number;
  recordsPerSecond: number;
  retries: number;
}

/** Sends `batches` over HTTP with SENDERS concurrent senders and waits for idle. */
export async function ingestToIdle(d: Deployment, batches: Batch[], onProgress?: (sent: number) => void): Promise<IngestTiming> {
  const total = batches.reduce((n, b) => n + b.count, 0);
  let next = 0;
  let retries = 0;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let b = next++; b < batches.length; b = next++) {
        const batch = batches[b]!;
        for (;;) {
          const res = await fetch(`${d.base}/api/ingest/${batch.feed}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
            body: batch.body,
          }).catch((err: Error) => {
            // A kept-alive connection the server closed as this request went out (a loaded machine's race): send again.
            if ((err.cause as { code?: string } | undefined)?.code === 'ECONNRESET') return null;
            throw err;
          });
          if (res === null) {
            retries++;
            continue;
          }
          if (res.status === 202) {
            const body = (await res.json()) as { rejected: unknown[] };
            if (body.rejected.length > 0)
              throw new Error(`${batch.feed}: ${body.rejected.length} rejected: ${JSON.stringify(body.rejected.slice(0, 2))}`);
            break;
          }
          if (res.status !== 429 && res.status !== 503)
            throw new Error(`${batch.feed}: ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
          retries++;
          await res.arrayBuffer();
          await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
        }
        sent += batch.count;
        onProgress?.(sent);
      }
    }),
  );
  const acceptedSeconds = (performance.now() - started) / 1000;
  await waitIdle(d);
  const idleSeconds = (performance.now() - started) / 1000;
  return { acceptedSeconds, idleSeconds, recordsPerSecond: total / idleSeconds, retries };
}

/** Polls GET /api/ingest/status every 50 ms until everything accepted is applied. */
export async function waitIdle(d: Deployment): Promise<void> {
  for (;;) {
    const status = (await (await fetch(`${d.base}/api/ingest/status`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as {
      idle: boolean;
    };
    if (status.idle) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** GET `path` `count` times one after another; the latencies in ms. */
export async function latencies(d: Deployment, path: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await fetch(`${d.base}${path}`, { headers: { authorization: `Bearer ${d.token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    times.push(performance.now() - t);
  }
  return times;
}

/** Memory now: Redis used_memory, server RSS and each worker's RSS, in MiB. */
export async function memoryMiB(d: Deployment): Promise<{ redis: number; server: number; workers: number[] }> {
  const info = await d.client.info('memory');
  return {
    redis: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 2 ** 20,
    server: await rssMiB(d.server.child.pid!),
    workers: await Promise.all(d.workers.map((w) => rssMiB(w.child.pid!))),
  };
}

/** Sends records of each feed as requests of 5,000 (202 expected) and waits for idle; returns how many were sent. */
export async function sendToIdle(d: Deployment, feeds: Record<string, readonly object[]>): Promise<number> {
  let sent = 0;
  for (const [feed, records] of Object.entries(feeds)) {
    for (let i = 0; i < records.length; i += 5_000) {
      const res = await fetch(`${d.base}/api/ingest/${feed}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify({ events: records.slice(i, i + 5_000) }),
      });
      if (res.status !== 202) throw new Error(`ingest ${feed} answered ${res.status}: ${await res.text()}`);
    }
    sent += records.length;
  }
  await waitIdle(d);
  return sent;
}

/** A new display token's wall address (`/wall?token=…`), made with the deployment's admin session. */
export async function createWallPath(d: Deployment, name: string): Promise<string> {
  const created = await fetch(`${d.base}/api/admin/display-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
    body: JSON.stringify({ name }),
  });
  if (created.status !== 201) throw new Error(`display token: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { wallUrl: string }).wallUrl;
}

/**
 * Today so far up to 10:00 in Asia/Shanghai (the busiest hour, whatever the time of the run), from the simulator, sent
 * until applied: what a wall bench's screens show. Returns the clock it used (running at real speed from 10:00), where the
 * live stream carries on, the records sent, and the kind of day (the simulator models a weekend as quiet: benches say it).
 */
export async function sendBusyHourToday(
  d: Deployment,
): Promise<{ day: LocalDay; now: () => number; live: LiveState; records: number; dayKind: string }> {
  const { day } = localDayHour(Date.now(), SIMULATOR_TZ);
  const offset = dayStartUtc(day, SIMULATOR_TZ) + 10 * 3_600_000 - Date.now();
  const now = () => Date.now() + offset;
  const today = generateToday({ now: now() });
  const records = await sendToIdle(d, today.feeds);
  return { day, now, live: today.live, records, dayKind: calendarDayOf(toWallMs(now())).kind };
}

/** sendBusyHourToday, then the simulator's live stream carrying on at `ratePerSecond` (at the busiest hour of a working day). */
export async function startBusyHourStream(d: Deployment, ratePerSecond: number): Promise<{ live: LiveStream; dayKind: string }> {
  const today = await sendBusyHourToday(d);
  const live = startLiveStream({
    baseUrl: d.base,
    ingestToken: INGEST_TOKEN,
    ratePerSecond,
    seed: 2022,
    now: today.now,
    continueFrom: today.live,
  });
  return { live, dayKind: today.dayKind };
}
