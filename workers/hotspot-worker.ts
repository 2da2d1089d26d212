import { Worker as Thread } from 'node:worker_threads';
import { Queue, Worker } from 'bullmq';
import type { Config } from '../core/platform/config.ts';
import type { CoreContext } from '../core/context.ts';
import { bullConnection } from '../core/platform/queues.ts';
import { connectRedis } from '../core/platform/redis.ts';
import { channelKey, parseMessage } from '../core/platform/channels.ts';
import type { Logger } from '../core/platform/logger.ts';
import type { HotspotRunReply, HotspotThreadData } from './hotspot-thread.ts';

/** The detector's queue: one job at a time across every worker process (global concurrency 1). */
export const HOTSPOT_QUEUE = '{analytics-hotspots}';
/** The schedule that closes windows when no ticket arrives. */
export const HOTSPOT_TICK_MS = 60_000;
/** After an applied hotline batch the detector runs once this long after, however many batches came meanwhile. */
export const HOTSPOT_DEBOUNCE_MS = 1_000;
/** The detector thread's nice value on Linux: below the event loop that applies batches and feeds the walls, and below Redis. */
export const DETECTOR_NICE = 10;
/** The share of a core the detector's thread may take while hotline batches keep coming. */
export const HOTSPOT_MAX_SHARE = 0.1;

/**
 * How long after an applied batch the detector runs, given how long its last run took: the debounce, or
 * longer when a run is slow (each run reads the last 48 hours of tickets), so the detector stays within
 * HOTSPOT_MAX_SHARE of a core — doubled as needed, so jobs of one period share their id.
 * At 10,000 tickets a second a run takes 0.6–0.7 s of its thread (220,000 tickets in the window: bench/hotspot-run.ts).
 */
export function afterBatchDelay(lastRunMs: number): number {
  let delay = HOTSPOT_DEBOUNCE_MS;
  while (delay < lastRunMs * (1 / HOTSPOT_MAX_SHARE - 1)) delay *= 2;
  return delay;
}

/**
 * The detector's own thread (workers/hotspot-thread.ts, or `threadFile`), started with the first run and reused; a run
 * is a message and its reply. A thread that dies fails the runs in flight (BullMQ retries the job) and is started again
 * by the next run; a dead thread's late events (its `exit` follows its `error`) leave its successor's runs alone.
 */
export function hotspotThread(data: HotspotThreadData, log: Logger, threadFile = new URL('./hotspot-thread.ts', import.meta.url)) {
  let thread: Thread | null = null;
  let nextId = 0;
  const pending = new Map<number, (reply: HotspotRunReply) => void>();
  const failAll = (error: string) => {
    for (const [id, done] of pending) done({ id, ms: 0, error });
    pending.clear();
    thread = null;
  };
  const start = () => {
    const t = new Thread(threadFile, { workerData: data });
    t.unref(); // the worker's own connections keep the process alive; the thread alone never does
    const died = (error: string) => thread === t && failAll(error);
    t.on('message', (reply: HotspotRunReply) => {
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
    t.on('error', (err: Error) => {
      log.warn({ err: err.message }, 'hotspot thread failed');
      died(`hotspot thread failed: ${err.message}`);
    });
    t.on('exit', (code) => died(`hotspot thread exited with code ${code}`));
    return t;
  };
  return {
    run(): Promise<HotspotRunReply> {
      thread ??= start();
      const id = nextId++;
      const reply = new Promise<HotspotRunReply>((resolve) => pending.set(id, resolve));
      thread.postMessage({ id });
      return reply;
    },
    async close(): Promise<void> {
      const t = thread;
      failAll('hotspot thread closed');
      await t?.terminate();
    },
  };
}

/**
 * 未诉先办 in the workers: a BullMQ queue `{analytics-hotspots}` whose job runs the detector on its own thread
 * (core/analytics/hotspot-runner.ts in workers/hotspot-thread.ts), added after each applied hotline batch
 * (`<p>:changed`, debounced: one job per afterBatchDelay) and every HOTSPOT_TICK_MS by a job scheduler
 * (idempotent across processes).
 */
export function startHotspotWorker(config: Config, redisUrl: string, ctx: CoreContext): { close(): Promise<void> } {
  const { keys, log } = ctx;
  const connection = bullConnection(redisUrl, 'blocking');
  const queue = new Queue(HOTSPOT_QUEUE, { connection, prefix: keys.queuePrefix() });
  queue.on('error', (err) => log.debug({ err: err.message }, 'hotspot queue connection error'));
  const thread = hotspotThread(
    { redisUrl, prefix: config.REDIS_PREFIX, tz: config.TZ_REPORT, logLevel: config.LOG_LEVEL, nice: DETECTOR_NICE },
    log,
  );
  let lastRunMs = 0;
  const run = async () => {
    const reply = await thread.run();
    lastRunMs = reply.ms;
    if ('error' in reply) throw new Error(reply.error);
    return { raised: reply.raised, ended: reply.ended, active: reply.active };
  };
  const worker = new Worker(HOTSPOT_QUEUE, run, { connection, prefix: keys.queuePrefix(), concurrency: 1 });
  worker.on('failed', (_job, err) => log.warn({ err: err.message }, 'hotspot detector run failed'));
  worker.on('error', (err) => log.warn({ err: err.message }, 'hotspot worker error'));
  const jobOptions = { removeOnComplete: true, removeOnFail: 100, attempts: 2 };
  const ready = (async () => {
    await queue.setGlobalConcurrency(1);
    await queue.upsertJobScheduler('hotspots-tick', { every: HOTSPOT_TICK_MS }, { name: 'detect', opts: jobOptions });
  })().catch((err: Error) => log.error({ err: err.message }, 'hotspot schedule could not be set'));

  const subscriber = connectRedis(redisUrl, 'blocking', 'pulse-worker-hotspots');
  subscriber.on('error', (err) => log.debug({ err: err.message }, 'hotspot subscriber error'));
  subscriber.on('message', (_channel: string, raw: string) => {
    let feed: string;
    try {
      ({ feed } = parseMessage('changed', raw));
    } catch {
      return; // not a message of Pulse's
    }
    if (feed !== 'hotline' && feed !== 'all') return;
    const delay = afterBatchDelay(lastRunMs);
    const slot = Math.floor(Date.now() / delay);
    queue
      .add('detect', {}, { ...jobOptions, jobId: `after-batch-${delay}-${slot}`, delay })
      .catch((err: Error) => log.warn({ err: err.message }, 'hotspot run not queued'));
  });
  void subscriber.subscribe(channelKey(keys, 'changed')).catch((err: Error) => log.warn({ err: err.message }, 'hotspot subscribe failed'));

  return {
    async close() {
      await ready;
      await worker.close();
      await thread.close();
      await queue.close();
      await subscriber.quit().catch(() => undefined);
    },
  };
}
