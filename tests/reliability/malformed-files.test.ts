import { describe, expect, it } from 'vitest';
import { runMalformedFiles } from '../../scripts/reliability/malformed-files.ts';

// The short variant of scenario 4 (npm run reliability: 90,000 good rows, 10,000 bad, and a 50 MB file).
describe('bad files through POST /api/imports on a server process', () => {
  it('keeps every good row, reports every bad row by number (dates, missing fields, enums, GBK rows in a UTF-8 file), refuses a zip bomb, an empty and a header-only file, and stays up', async () => {
    const report = await runMalformedFiles({ visits: 3_000, bad: 1_000, bigMb: 0 });
    expect(report.problems).toEqual([]);
    expect(report.measured['mixed file: good rows kept']).toBe('9000 of 9000');
    expect(report.measured['mixed file: bad rows reported by row number']).toBe('1000 of 1000');
    expect(report.measured['server alive and answering at the end']).toBe('yes');
  }, 180_000);
});
