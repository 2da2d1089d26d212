import { parentPort } from 'node:worker_threads';

/**
 * A stand-in for workers/hotspot-thread.ts in tests: answers each run request with an empty run, or, when
 * DYING_HOTSPOT_THREAD is "1" in the environment it was started with, throws on its first request (the thread dies).
 */
parentPort!.on('message', ({ id }: { id: number }) => {
  if (process.env.DYING_HOTSPOT_THREAD === '1') throw new Error('detector crashed');
  parentPort!.postMessage({ id, ms: 0, raised: 0, ended: 0, active: 0 });
});
