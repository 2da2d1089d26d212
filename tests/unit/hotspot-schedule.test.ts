import { describe, expect, it } from 'vitest';
import { HOTSPOT_DEBOUNCE_MS, HOTSPOT_MAX_SHARE, afterBatchDelay } from '../../workers/hotspot-worker.ts';

describe('the detector after hotline batches', () => {
  it('runs a debounce after a batch while its runs are quick', () => {
    expect(afterBatchDelay(0)).toBe(HOTSPOT_DEBOUNCE_MS);
    expect(afterBatchDelay(50)).toBe(HOTSPOT_DEBOUNCE_MS);
  });

  it('waits longer after a slow run, so it keeps within its share of the worker', () => {
    for (const lastRunMs of [200, 333, 1_000, 5_000]) {
      const delay = afterBatchDelay(lastRunMs);
      expect(lastRunMs / (lastRunMs + delay)).toBeLessThanOrEqual(HOTSPOT_MAX_SHARE);
      expect(delay / HOTSPOT_DEBOUNCE_MS).toSatisfy((n: number) => Number.isInteger(Math.log2(n))); // a few ids per period
    }
  });
});
