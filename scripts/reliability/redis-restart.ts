/**
 * Scenario 2 — Redis (AOF on) stopped and started again mid-ingest, `restarts` times, while four
 * senders post a generated year and a wall screen is connected. While Redis is down ingest answers
 * 503 and the senders retry; afterwards every record that got a 202 is counted (figures equal the
 * generator's count, `npm run verify` zero difference), and the server, the worker and the wall
 * recovered by themselves (nothing restarted them).
 *
 *   node scripts/reliability/redis-restart.ts [--restarts 3] [--scale 0.1] [--down-ms 3000]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { generateYear } from '../simulator/year.ts';
import { finishScenario } from './checks.ts';
import { INGEST_TOKEN, sleep, startPulseCluster, startScenarioRedis } from './harness.ts';
import { runAsScript, timed, type ScenarioReport } from './report.ts';
import { makeBatches, sendAll } from './senders.ts';

export interface RedisRestartOptions {
  restarts: number;
  scale: number;
  /** How long Redis stays down each time, in ms. */
  downMs?: number;
  /** `SIGTERM` (a stop: Redis flushes its AOF) — what the issue asks — or `SIGKILL` with appendfsync always. */
  signal?: 'SIGTERM' | 'SIGKILL';
  seed?: number;
}

export function runRedisRestart(options: RedisRestartOptions): Promise<ScenarioReport> {
  const { restarts, scale, downMs = 3_000, signal = 'SIGTERM', seed = 5 } = options;
  const id = signal === 'SIGTERM' ? 'redis-restart' : 'redis-crash';
  return timed(id, { restarts, scale, 'down for (ms)': downMs, stop: signal, senders: 4, servers: 1, workers: 1 }, async (report) => {
    const generated = generateYear({ year: 2022, seed, scale });
    const batches = makeBatches(generated.feeds, { batchSize: 1_000, copies: 1, seed });
    report.parameters.records = batches.reduce((n, b) => n + b.records, 0);
    const redis = await startScenarioRedis({ appendfsync: signal === 'SIGKILL' ? 'always' : 'everysec' });
    const cluster = await startPulseCluster({ servers: 1, workers: 1, redis });
    const wall = io(`${cluster.baseUrls[0]}/live`, { auth: { token: await cluster.login() }, transports: ['websocket'] });
    const wallEvents: { kind: string; at: number }[] = [];
    for (const kind of ['snapshot', 'delta', 'heartbeat', 'disconnect', 'connect'] as const)
      wall.on(kind, () => wallEvents.push({ kind, at: Date.now() }));
    try {
      const every = Math.max(1, Math.floor(batches.length / (restarts + 1)));
      let outage: Promise<void> = Promise.resolve();
      const healthWhileDown: string[] = [];
      const tally = await sendAll(cluster.baseUrls, batches, {
        senders: 4,
        onBatch: (done) => {
          if (done % every !== 0 || done / every > restarts) return;
          outage = outage.then(async () => {
            await redis.stop(signal);
            await sleep(downMs / 2);
            const health = await fetch(`${cluster.baseUrls[0]}/api/health`).catch(() => null);
            healthWhileDown.push(((await health?.json().catch(() => null)) as { status?: string } | null)?.status ?? 'no answer');
            await sleep(downMs / 2);
            await redis.start();
          });
        },
      });
      await outage;
      const backAt = Date.now();
      // The session was in Redis too: it survived thanks to the AOF, so the same token still works.
      const token = await cluster.login();
      await finishScenario(cluster, token, tally, generated.expected, report, 300_000);
      // The wall: still (or again) connected, and hearing from the server after the last restart.
      const todayRecord = { ticketId: `WALL-${Date.now()}`, type: 'signed', at: new Date().toISOString() };
      await fetch(`${cluster.baseUrls[0]}/api/ingest/hotline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify({ events: [todayRecord] }),
      });
      for (let i = 0; i < 100 && !wallEvents.some((e) => e.kind === 'delta' && e.at > backAt); i++) await sleep(100);
      const wallRecovered = wall.connected && wallEvents.some((e) => e.kind === 'delta' && e.at > backAt);
      if (tally.failures.length > 0)
        report.problems.push(`server logs:\n${cluster.servers.map((p) => p.output().slice(-3000)).join('\n')}`);
      if (!wallRecovered)
        report.problems.push(`the wall did not recover: connected ${wall.connected}, events ${JSON.stringify(wallEvents.slice(-5))}`);
      if (tally.retries.status503 === 0 && tally.retries.network === 0) report.problems.push('no sender ever saw Redis down (no 503)');
      if (healthWhileDown.some((s) => s !== 'degraded'))
        report.problems.push(`GET /api/health while Redis was down: ${healthWhileDown.join(', ')}`);
      Object.assign(report.measured, {
        'Redis restarts': restarts,
        '503 answers (sender retried)': tally.retries.status503,
        'GET /api/health while down': healthWhileDown.join(', '),
        'wall after the restarts': wallRecovered ? 'connected, delta received' : 'NOT RECOVERED',
        'processes restarted by hand': 0,
      });
    } finally {
      wall.disconnect();
      await cluster.stop();
      await redis.destroy();
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      restarts: { type: 'string', default: '3' },
      scale: { type: 'string', default: '0.1' },
      'down-ms': { type: 'string', default: '3000' },
      crash: { type: 'boolean', default: false },
    },
  });
  await runAsScript(() =>
    runRedisRestart({
      restarts: Number(values.restarts),
      scale: Number(values.scale),
      downMs: Number(values['down-ms']),
      signal: values.crash ? 'SIGKILL' : 'SIGTERM',
    }),
  );
}
