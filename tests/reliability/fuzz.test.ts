import { inject, describe, expect, it } from 'vitest';
import { runFuzz } from '../../scripts/reliability/fuzz/index.ts';

/** Fixed per run, printed, so a failure reproduces: FUZZ_SEED=<seed> npx vitest run tests/reliability/fuzz.test.ts. */
const SEED = Number(process.env.FUZZ_SEED ?? 14);

// The short form of scenario 6 (npm run reliability: 150 cases of up to 40 records, a new seed each run).
describe('fuzzing: hostile records of every feed through JSON, NDJSON, a CSV import and a pull connector', () => {
  it('keeps every valid record once, refuses every bad one alone with a reason, and verify reports zero difference', async () => {
    console.log(`fuzz seed ${SEED}`);
    const { tally, failure } = await runFuzz({ cases: 12, seed: SEED, maxRecords: 25, redisUrl: inject('redisUrl'), timeLimitMs: 150_000 });
    expect(failure).toBeNull();
    expect(tally.cases).toBe(12);
    expect(tally.bad).toBeGreaterThan(0);
    expect(Object.values(tally.byPath).every((n) => n > 0)).toBe(true);
  }, 200_000);
});
