import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, intervalFor, lastYearPeriod, presetPeriod, previousPeriod } from '../../client/src/views/console/period.ts';

describe('console periods (环比 / 同比)', () => {
  it('compares a period with the same number of days just before it (环比)', () => {
    expect(previousPeriod({ from: '2022-03-01', to: '2022-03-31' })).toEqual({ from: '2022-01-29', to: '2022-02-28' });
    expect(previousPeriod({ from: '2022-01-01', to: '2022-12-31' })).toEqual({ from: '2021-01-01', to: '2021-12-31' });
    expect(previousPeriod({ from: '2024-03-01', to: '2024-03-01' })).toEqual({ from: '2024-02-29', to: '2024-02-29' });
  });

  it('compares with the same days a year earlier (同比), 29 February with the 28th as the server does', () => {
    expect(lastYearPeriod({ from: '2022-03-01', to: '2022-03-31' })).toEqual({ from: '2021-03-01', to: '2021-03-31' });
    expect(lastYearPeriod({ from: '2024-02-01', to: '2024-02-29' })).toEqual({ from: '2023-02-01', to: '2023-02-28' });
  });

  it('counts days across month and year ends, and picks a readable chart interval', () => {
    expect(daysBetween('2022-12-31', '2023-01-01')).toBe(2);
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(intervalFor({ from: '2022-03-01', to: '2022-03-31' })).toBe('day');
    expect(intervalFor({ from: '2022-01-01', to: '2022-06-30' })).toBe('week');
    expect(intervalFor({ from: '2022-01-01', to: '2022-12-31' })).toBe('month');
  });

  it('names the usual periods relative to today', () => {
    expect(presetPeriod('month', '2022-05-17')).toEqual({ from: '2022-05-01', to: '2022-05-17' });
    expect(presetPeriod('quarter', '2022-05-17')).toEqual({ from: '2022-04-01', to: '2022-05-17' });
    expect(presetPeriod('year', '2022-05-17')).toEqual({ from: '2022-01-01', to: '2022-05-17' });
    expect(presetPeriod('lastYear', '2022-05-17')).toEqual({ from: '2021-01-01', to: '2021-12-31' });
  });
});
