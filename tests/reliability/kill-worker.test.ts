import { describe, expect, it } from 'vitest';
import { runKillWorker } from '../../scripts/reliability/kill-worker.ts';

// The short variant of scenario 1 (npm run reliability runs 20 kills over a larger year).
describe('a worker killed with SIGKILL mid-batch, again and again', () => {
  it('finishes every batch, counts nothing twice, and verify reports zero difference', async () => {
    const report = await runKillWorker({ kills: 3, scale: 0.01 });
    expect(report.problems).toEqual([]);
    expect(report.measured['npm run verify']).toBe('zero difference');
    // The kills did land while batches were held by the killed worker.
    expect(report.measured['batches taken up again after a kill (BullMQ stalled)']).toBeGreaterThan(0);
  }, 240_000);
});
