import { describe, expect, it } from 'vitest';
import { addDays, daysInRange, isLocalDay, localDayHour, parseInstant } from '../../shared/time.ts';

const SH = 'Asia/Shanghai';

describe('parseInstant', () => {
  it('honours an explicit offset and Z', () => {
    expect(parseInstant('2022-12-31T23:30:00+08:00', SH)).toBe(Date.UTC(2022, 11, 31, 15, 30));
    expect(parseInstant('2022-12-31T16:30:00Z', SH)).toBe(Date.UTC(2022, 11, 31, 16, 30));
    expect(parseInstant('2022-03-04T09:15:00-0500', SH)).toBe(Date.UTC(2022, 2, 4, 14, 15));
  });

  it('reads a time without offset as local time in the report zone', () => {
    expect(parseInstant('2022-03-04T09:15:00', SH)).toBe(Date.UTC(2022, 2, 4, 1, 15));
    expect(parseInstant('2022-03-04 09:15', SH)).toBe(Date.UTC(2022, 2, 4, 1, 15));
    expect(parseInstant('2022-03-04T09:15:00', 'UTC')).toBe(Date.UTC(2022, 2, 4, 9, 15));
  });

  it('keeps milliseconds', () => {
    expect(parseInstant('2022-03-04T09:15:00.250Z', SH)).toBe(Date.UTC(2022, 2, 4, 9, 15, 0, 250));
  });

  it('refuses what is not a real date-time', () => {
    for (const bad of [
      '2022-13-01T00:00:00',
      '2022-02-29T10:00:00',
      '2022-03-04',
      '2022-03-04T24:00:00',
      'yesterday',
      '2022-03-04T10:00:00+25:00',
    ]) {
      expect(parseInstant(bad, SH), bad).toBeNull();
    }
    expect(parseInstant('2024-02-29T10:00:00', SH)).not.toBeNull();
  });

  it('handles a zone with daylight saving time', () => {
    // 2022-03-13 02:30 does not exist in New York; 2022-07-01 10:00 is EDT (UTC-4).
    expect(parseInstant('2022-07-01T10:00:00', 'America/New_York')).toBe(Date.UTC(2022, 6, 1, 14, 0));
    expect(parseInstant('2022-01-01T10:00:00', 'America/New_York')).toBe(Date.UTC(2022, 0, 1, 15, 0));
  });
});

describe('localDayHour', () => {
  it('puts 23:59 local written as UTC in the local day (FEEDS.md example)', () => {
    expect(localDayHour(parseInstant('2022-12-31T23:30:00+08:00', SH)!, SH)).toEqual({ day: '2022-12-31', hour: 23 });
    expect(localDayHour(parseInstant('2022-12-31T16:30:00Z', SH)!, SH)).toEqual({ day: '2023-01-01', hour: 0 });
    expect(localDayHour(parseInstant('2022-06-30T15:59:59Z', SH)!, SH)).toEqual({ day: '2022-06-30', hour: 23 });
  });
});

describe('calendar days', () => {
  it('validates and walks days across month and year ends', () => {
    expect(isLocalDay('2022-02-28')).toBe(true);
    expect(isLocalDay('2022-02-29')).toBe(false);
    expect(isLocalDay('2022-2-1')).toBe(false);
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysInRange('2022-01-01', '2022-12-31')).toHaveLength(365);
    expect(daysInRange('2022-01-02', '2022-01-01')).toEqual([]);
  });
});
