import { describe, expect, it } from 'vitest';
import { runRedisRestart } from '../../scripts/reliability/redis-restart.ts';

// The short variant of scenario 2 (npm run reliability restarts Redis more often, over a larger year).
describe('Redis (AOF) stopped and started again mid-ingest', () => {
  it('counts every record that got a 202, answers 503 while down, and the server, worker and wall recover by themselves', async () => {
    const report = await runRedisRestart({ restarts: 2, scale: 0.01, downMs: 2_000 });
    expect(report.problems).toEqual([]);
    expect(report.measured['npm run verify']).toBe('zero difference');
    expect(Number(report.measured['503 answers (sender retried)'])).toBeGreaterThan(0);
    expect(report.measured['wall after the restarts']).toBe('connected, delta received');
  }, 240_000);
});
