/**
 * The baselines the ingest figures are compared with, each measured on a fresh redis-server in the run:
 * - a naive pipeline: one BullMQ job per record, worker concurrency 50, the same apply code;
 * - the raw Redis ceiling: `redis-benchmark` with pipelined HINCRBY (what Redis does with the
 *   simplest increment), and an in-process ioredis pipeline of `core/ingest/lua/apply-entities.lua` with
 *   the very arguments the workers sent for a sample of the year (what Redis does with Pulse's script
 *   when nothing else — HTTP, BullMQ, planning — is in the way).
 */
import { spawnSync } from 'node:child_process';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { FeedName } from '../shared/feeds/feed.ts';
import { FEED_MODULES } from '../core/feeds/index.ts';
import { bullConnection } from '../core/platform/queues.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { createCoreContext } from '../core/context.ts';
import { createLogger } from '../core/platform/logger.ts';
import { ApplyService } from '../core/ingest/apply-service.ts';
import { startTestRedis } from '../tests/support/redis-server.ts';

const TZ = 'Asia/Shanghai';
const normalizeCtx = { tz: TZ, hashPhone: (p: string) => p.slice(-4) };
type Sample = { feed: FeedName; record: object }[];

/** Records/s of one BullMQ job per record (concurrency 50) through the same apply code. */
export async function naiveRecordsPerSecond(sample: Sample): Promise<number> {
  const redis = await startTestRedis({ appendonly: true });
  const client = new Redis(redis.url);
  const keys = redisKeys('naive');
  const apply = new ApplyService(createCoreContext({ redis: client, keys: keys, log: createLogger('silent', 'bench'), tz: TZ }));
  const queue = new Queue('naive', {
    connection: bullConnection(redis.url, 'command'),
    prefix: keys.queuePrefix(),
    defaultJobOptions: { removeOnComplete: true },
  });
  let done = 0;
  let finish!: () => void;
  const allDone = new Promise<void>((r) => (finish = r));
  const worker = new Worker(
    'naive',
    async (job) => {
      const { feed, record } = job.data as { feed: FeedName; record: object };
      const normalized = FEED_MODULES[feed]!.normalize(record, normalizeCtx);
      if (normalized.ok) await apply.applyBatch({ feed, batchId: job.id!, receivedAt: Date.now(), records: [normalized.record] });
      if (++done === sample.length) finish();
    },
    { connection: bullConnection(redis.url, 'blocking'), prefix: keys.queuePrefix(), concurrency: 50 },
  );
  try {
    const started = performance.now();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = cursor++; i < sample.length; i = cursor++) await queue.add(sample[i]!.feed, sample[i]!);
      }),
    );
    await allDone;
    return sample.length / ((performance.now() - started) / 1000);
  } finally {
    await worker.close();
    await queue.close();
    client.disconnect();
    await redis.stop();
  }
}

/** HINCRBY/s of `redis-benchmark` pipelining `pipeline` commands over 100,000 random hashes; null when redis-benchmark is missing. */
export async function redisBenchmarkHincrby(requests: number, pipeline = 100): Promise<number | null> {
  if (spawnSync('redis-benchmark', ['--version']).error) return null;
  const redis = await startTestRedis();
  try {
    const run = spawnSync(
      'redis-benchmark',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(redis.port),
        '-n',
        String(requests),
        '-P',
        String(pipeline),
        '-r',
        '100000',
        '-c',
        '50',
        '--csv',
        'hincrby',
        'bench:__rand_int__',
        'field',
        '1',
      ],
      { encoding: 'utf8' },
    );
    // --csv: "test","rps",… then "hincrby bench:__rand_int__ field 1","312061.16",…
    const line = run.stdout.split('\n').find((l) => l.toLowerCase().startsWith('"hincrby'));
    const rps = line ? Number(JSON.parse(`[${line}]`)[1]) : NaN;
    if (!Number.isFinite(rps)) throw new Error(`redis-benchmark printed no HINCRBY figure: ${run.stdout}${run.stderr}`);
    return rps;
  } finally {
    await redis.stop();
  }
}

/** The apply-entities.lua calls the workers make for `sample`, captured from an in-process apply. */
export async function captureScriptCalls(
  sample: Sample,
): Promise<{ calls: [string, string, string, (string | number)[]][]; records: number }> {
  const redis = await startTestRedis();
  const client = new Redis(redis.url);
  try {
    const apply = new ApplyService(
      createCoreContext({ redis: client, keys: redisKeys('ceiling'), log: createLogger('silent', 'bench'), tz: TZ }),
    );
    const calls: [string, string, string, (string | number)[]][] = [];
    const original = client.applyEntities.bind(client);
    client.applyEntities = ((stats: string, conflicts: string, totals: string, args: (string | number)[]) => {
      calls.push([stats, conflicts, totals, args]);
      return original(stats, conflicts, totals, args);
    }) as typeof client.applyEntities;
    const byFeed = new Map<FeedName, object[]>();
    let records = 0;
    for (const { feed, record } of sample) {
      const normalized = FEED_MODULES[feed]!.normalize(record, normalizeCtx);
      if (!normalized.ok) continue;
      let list = byFeed.get(feed);
      if (!list) byFeed.set(feed, (list = []));
      list.push(normalized.record);
      records++;
    }
    let n = 0;
    for (const [feed, list] of byFeed) {
      for (let i = 0; i < list.length; i += 5_000) {
        await apply.applyBatch({ feed, batchId: `ceiling-${n++}`, receivedAt: Date.now(), records: list.slice(i, i + 5_000) as never });
      }
    }
    return { calls, records };
  } finally {
    client.disconnect();
    await redis.stop();
  }
}

/** Records/s of replaying the captured script calls on an empty redis-server, `depth` calls per ioredis pipeline. */
export async function scriptPipelineRecordsPerSecond(
  captured: { calls: [string, string, string, (string | number)[]][]; records: number },
  depth = 8,
): Promise<number> {
  const redis = await startTestRedis({ appendonly: true });
  const client = new Redis(redis.url);
  try {
    new ApplyService(createCoreContext({ redis: client, keys: redisKeys('ceiling'), log: createLogger('silent', 'bench'), tz: TZ })); // registers the script on this connection
    const started = performance.now();
    for (let i = 0; i < captured.calls.length; i += depth) {
      const pipeline = client.pipeline();
      for (const [stats, conflicts, totals, args] of captured.calls.slice(i, i + depth))
        pipeline.applyEntities(stats, conflicts, totals, args);
      for (const [err, stale] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        if (stale !== 0) throw new Error('a replayed script call found a stale entity: the replay is not the run it was captured from');
      }
    }
    return captured.records / ((performance.now() - started) / 1000);
  } finally {
    client.disconnect();
    await redis.stop();
  }
}
