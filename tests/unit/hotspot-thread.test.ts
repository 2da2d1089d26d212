import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/platform/logger.ts';
import { hotspotThread } from '../../workers/hotspot-worker.ts';

const data = { redisUrl: 'redis://127.0.0.1:1', prefix: 'test', tz: 'Asia/Shanghai', logLevel: 'silent', nice: 0 };
const dyingThread = new URL('../support/dying-hotspot-thread.ts', import.meta.url);

describe('the detector thread', () => {
  let detector: ReturnType<typeof hotspotThread> | undefined;
  afterEach(async () => {
    delete process.env.DYING_HOTSPOT_THREAD;
    await detector?.close();
  });

  it('fails the run in flight when it dies, and the next run gets a new thread whatever the dead one reports late', async () => {
    detector = hotspotThread(data, createLogger('silent', 'worker'), dyingThread);
    process.env.DYING_HOTSPOT_THREAD = '1';
    const failed = await detector.run();
    expect(failed).toMatchObject({ error: expect.stringContaining('detector crashed') });

    // Asked again at once: the dead thread's `exit` arrives while the new thread is starting, and must not fail this run.
    process.env.DYING_HOTSPOT_THREAD = '0';
    const next = await detector.run();
    expect(next).toEqual({ id: 1, ms: 0, raised: 0, ended: 0, active: 0 });
  });
});
