/**
 * Scenario 1 — `kill -9` a worker at a random moment mid-batch, again and again, while four senders
 * post a generated year. Every batch must finish (none failed), nothing may count twice: the figures
 * equal the generator's own count and `npm run verify` reports zero difference.
 *
 *   node scripts/reliability/kill-worker.ts [--kills 20] [--scale 0.1]
 */
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { openCliContext } from '../../core/platform/cli.ts';
import { ingestQueueName } from '../../core/platform/queues.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { generateYear } from '../simulator/year.ts';
import { finishScenario } from './checks.ts';
import { sleep, startPulseCluster, type PulseCluster } from './harness.ts';
import { runAsScript, timed, type ScenarioReport } from './report.ts';
import { makeBatches, sendAll } from './senders.ts';

export interface KillWorkerOptions {
  /** How many times the worker is killed. */
  kills: number;
  /** Generator scale (1 = the 2022 report's 1.36 million records). */
  scale: number;
  batchSize?: number;
  seed?: number;
}

const queueKeys = (cluster: PulseCluster) =>
  FEED_NAMES.map((feed) => `${redisKeys(cluster.env.REDIS_PREFIX!).queuePrefix()}:${ingestQueueName(feed)}`);

/** Epoch ms of the last batch any worker finished applying (0 before the first). */
async function lastAppliedAt(redis: Redis, cluster: PulseCluster): Promise<number> {
  const last = await redis.hvals(redisKeys(cluster.env.REDIS_PREFIX!).lastRecordAt());
  return Math.max(0, ...last.map(Number));
}

/** Batches BullMQ found stalled — active when their worker died — and handed to a worker again. */
async function stalledEvents(redis: Redis, cluster: PulseCluster): Promise<number> {
  let stalled = 0;
  for (const queueKey of queueKeys(cluster)) {
    for (const [, fields] of await redis.xrange(`${queueKey}:events`, '-', '+')) {
      if (fields[0] === 'event' && fields[1] === 'stalled') stalled++;
    }
  }
  return stalled;
}

/** Waits until the worker process `pid` has announced itself (its heartbeat key). */
async function workerStarted(redis: Redis, cluster: PulseCluster, pid: number): Promise<void> {
  const key = redisKeys(cluster.env.REDIS_PREFIX!).workerHeartbeat(hostname(), String(pid));
  for (let i = 0; i < 600; i++) {
    if (await redis.exists(key)) return;
    await sleep(50);
  }
  throw new Error(`worker ${pid} did not start within 30 s:\n${cluster.workers[0]!.output()}`);
}

export function runKillWorker(options: KillWorkerOptions): Promise<ScenarioReport> {
  const { kills, scale, batchSize = 2_000, seed = 9 } = options;
  return timed('kill-worker', { kills, scale, 'batch size': batchSize, senders: 4, servers: 1, workers: 1 }, async (report) => {
    const generated = generateYear({ year: 2022, seed, scale });
    const batches = makeBatches(generated.feeds, { batchSize, copies: 1, seed });
    report.parameters.records = batches.reduce((n, b) => n + b.records, 0);
    const cluster = await startPulseCluster({ servers: 1, workers: 1 });
    const { redis, close } = await openCliContext(cluster.env, { name: 'pulse-reliability', readyTimeoutMs: 10_000 });
    try {
      const token = await cluster.login();
      const sending = sendAll(cluster.baseUrls, batches, { senders: 4 });
      let random = seed;
      for (let k = 0; k < kills; k++) {
        await workerStarted(redis, cluster, cluster.workers[0]!.pid);
        // Once this worker has finished a batch it is busy with the next: kill it a random moment into that.
        const startedAt = Date.now();
        for (let i = 0; i < 1_000 && (await lastAppliedAt(redis, cluster)) < startedAt; i++) await sleep(10);
        random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
        await sleep(random % 200);
        await cluster.restartWorker(0);
      }
      const tally = await sending;
      report.measured['kills'] = kills;
      await finishScenario(cluster, token, tally, generated.expected, report);
      report.measured['batches taken up again after a kill (BullMQ stalled)'] = await stalledEvents(redis, cluster);
    } finally {
      close();
      await cluster.stop();
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, scale: { type: 'string', default: '0.1' } } });
  await runAsScript(() => runKillWorker({ kills: Number(values.kills), scale: Number(values.scale) }));
}
