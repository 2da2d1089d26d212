import { describe, expect, it } from 'vitest';
import { sameDayLastYear, splitPeriod } from '../../server/services/bucket-reader.ts';

describe('reading a period', () => {
  it('uses whole months where it can and loose days at the ends', () => {
    expect(splitPeriod('2022-01-01', '2022-12-31')).toEqual({ months: ['2022-01', '2022-02', '2022-03', '2022-04', '2022-05', '2022-06', '2022-07', '2022-08', '2022-09', '2022-10', '2022-11', '2022-12'], days: [] });
    const mid = splitPeriod('2022-01-30', '2022-03-02');
    expect(mid.months).toEqual(['2022-02']);
    expect(mid.days).toEqual(['2022-01-30', '2022-01-31', '2022-03-01', '2022-03-02']);
    expect(splitPeriod('2024-02-01', '2024-02-29')).toEqual({ months: ['2024-02'], days: [] });
    expect(splitPeriod('2024-02-01', '2024-02-28').months).toEqual([]);
    expect(splitPeriod('2022-06-15', '2022-06-15')).toEqual({ months: [], days: ['2022-06-15'] });
  });

  it('compares with the same days a year earlier, 29 February with the 28th', () => {
    expect(sameDayLastYear('2022-03-04')).toBe('2021-03-04');
    expect(sameDayLastYear('2024-02-29')).toBe('2023-02-28');
  });
});
