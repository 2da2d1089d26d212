import { Queue, Worker } from 'bullmq';
import type { Config } from '../core/platform/config.ts';
import type { CoreContext } from '../core/context.ts';
import { bullConnection } from '../core/platform/queues.ts';
import { connectRedis } from '../core/platform/redis.ts';
import { channelKey, parseMessage } from '../core/platform/channels.ts';
import { HotspotRunner } from '../core/analytics/hotspot-runner.ts';
import { HotspotStore } from '../core/analytics/hotspot-store.ts';
import { AlertService } from '../core/services/alert-service.ts';

/** The detector's queue: one job at a time across every worker process (global concurrency 1). */
export const HOTSPOT_QUEUE = '{analytics-hotspots}';
/** The schedule that closes windows when no ticket arrives. */
export const HOTSPOT_TICK_MS = 60_000;
/** After an applied hotline batch the detector runs once this long after, however many batches came meanwhile. */
export const HOTSPOT_DEBOUNCE_MS = 1_000;
/** The share of a worker's time the detector may take while hotline batches keep coming. */
export const HOTSPOT_MAX_SHARE = 0.1;

/**
 * How long after an applied batch the detector runs, given how long its last run took: the debounce, or
 * longer when a run is slow (each run reads the last 48 hours of tickets), so the detector stays within
 * HOTSPOT_MAX_SHARE of the worker's time — doubled as needed, so jobs of one period share their id.
 * At 10,000 tickets a second a run took a third of a second every second, and the walls waited seconds.
 */
export function afterBatchDelay(lastRunMs: number): number {
  let delay = HOTSPOT_DEBOUNCE_MS;
  while (delay < lastRunMs * (1 / HOTSPOT_MAX_SHARE - 1)) delay *= 2;
  return delay;
}

/**
 * 未诉先办 in the workers: a BullMQ queue `{analytics-hotspots}` whose job runs the detector
 * (core/analytics/hotspot-runner.ts), added after each applied hotline batch (`<p>:changed`, debounced: one
 * job per afterBatchDelay) and every HOTSPOT_TICK_MS by a job scheduler (idempotent across processes).
 */
export function startHotspotWorker(_config: Config, redisUrl: string, ctx: CoreContext): { close(): Promise<void> } {
  const { keys, log } = ctx;
  const connection = bullConnection(redisUrl, 'blocking');
  const queue = new Queue(HOTSPOT_QUEUE, { connection, prefix: keys.queuePrefix() });
  queue.on('error', (err) => log.debug({ err: err.message }, 'hotspot queue connection error'));
  const runner = new HotspotRunner(ctx, new HotspotStore(ctx), new AlertService(ctx));
  let lastRunMs = 0;
  const run = async () => {
    const started = performance.now();
    try {
      return await runner.run();
    } finally {
      lastRunMs = performance.now() - started;
    }
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
      await queue.close();
      await subscriber.quit().catch(() => undefined);
    },
  };
}
