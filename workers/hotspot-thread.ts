import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createCoreContext } from '../core/context.ts';
import { createLogger } from '../core/platform/logger.ts';
import { connectRedis } from '../core/platform/redis.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { HotspotRunner } from '../core/analytics/hotspot-runner.ts';
import { HotspotStore } from '../core/analytics/hotspot-store.ts';
import { AlertService } from '../core/services/alert-service.ts';

/** What workers/hotspot-worker.ts starts the thread with. */
export interface HotspotThreadData {
  redisUrl: string;
  prefix: string;
  tz: string;
  logLevel: string;
  /** The thread's nice value (Linux). */
  nice: number;
}

/** The thread's answer to a run request (`{ id }`): how long the run took, and what it found or why it failed. */
export type HotspotRunReply = { id: number; ms: number } & ({ raised: number; ended: number; active: number } | { error: string });

/**
 * The 未诉先办 detector's thread: one run of core/analytics/hotspot-runner.ts per request, on its own Redis
 * connection. A run reads and weighs every ticket of the last 48 hours — at 10,000 tickets a second hundreds of
 * thousands — and here that work never holds the worker's event loop, which applies batches and announces them to
 * the walls.
 */
const data = workerData as HotspotThreadData;
// On Linux a nice value belongs to the thread that sets it: when the cores are busy the detector gives way. (Elsewhere it
// would lower the whole worker: left as it is.)
if (process.platform === 'linux') {
  try {
    setPriority(data.nice);
  } catch {
    // not permitted here: the detector runs at the worker's priority
  }
}
const redis = connectRedis(data.redisUrl, 'command', 'pulse-worker-hotspots-thread');
const log = createLogger(data.logLevel, 'worker');
redis.on('error', (err) => log.debug({ err: err.message }, 'hotspot thread redis connection error'));
const ctx = createCoreContext({ redis, keys: redisKeys(data.prefix), log, tz: data.tz });
const runner = new HotspotRunner(ctx, new HotspotStore(ctx), new AlertService(ctx));

// Commands fail fast while the connection is down ('command' role): the first run waits for it to be up (at most 5 s).
const connected = new Promise<void>((resolve) => {
  redis.once('ready', () => resolve());
  setTimeout(resolve, 5_000).unref();
});

parentPort!.on('message', ({ id }: { id: number }) => {
  const started = performance.now();
  const reply = (result: { raised: number; ended: number; active: number } | { error: string }) =>
    parentPort!.postMessage({ id, ms: performance.now() - started, ...result } satisfies HotspotRunReply);
  connected
    .then(() => runner.run())
    .then(
      ({ raised, ended, active }) => reply({ raised: raised.length, ended: ended.length, active }),
      (err: Error) => reply({ error: err.message }),
    );
});
