import { describe, expect, it } from 'vitest';
import { runTripleSend } from '../../scripts/reliability/triple-send.ts';

// The short variant of scenario 3 (npm run reliability sends a larger year).
describe('every record sent three times by four senders to two servers and two workers', () => {
  it('counts each record once: the figures equal the generator’s and verify reports zero difference', async () => {
    const report = await runTripleSend({ scale: 0.01 });
    expect(report.problems).toEqual([]);
    expect(report.measured['npm run verify']).toBe('zero difference');
    // Two of every three copies were recognised (snapshot rows may instead replace or be superseded).
    expect(Number(report.measured['duplicate'])).toBeGreaterThan(1.9 * Number(report.parameters['unique records']));
  }, 240_000);
});
