import { describe, expect, it } from 'vitest';
import {
  sameDayLastYear,
  splitPeriod,
  sumBucketGroups,
  sumBucketPathGroups,
  type MutableFields,
} from '../../core/services/bucket-reader.ts';
import { encodeDimValue, pathName } from '../../shared/feeds/dimensions.ts';

describe('reading a period', () => {
  it('uses whole months where it can and loose days at the ends', () => {
    expect(splitPeriod('2022-01-01', '2022-12-31')).toEqual({
      months: [
        '2022-01',
        '2022-02',
        '2022-03',
        '2022-04',
        '2022-05',
        '2022-06',
        '2022-07',
        '2022-08',
        '2022-09',
        '2022-10',
        '2022-11',
        '2022-12',
      ],
      days: [],
    });
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

describe('dimension values in field names', () => {
  it('encodes distinct values as distinct fields, and reads them back as they were', () => {
    const values = ['a=b', 'a@b', 'a|b', 'a_b', 'a>b', 'a%b', 'a%7Cb', '100%', '朝阳街道'];
    expect(new Set(values.map(encodeDimValue)).size).toBe(values.length);
    expect(encodeDimValue('朝阳街道')).toBe('朝阳街道');
    const bucket = Object.fromEntries(values.map((v, i) => [`received|street=${encodeDimValue(v)}`, String(i + 1)]));
    const groups = new Map<string, MutableFields>();
    sumBucketGroups(bucket, 'street', groups);
    expect(Object.fromEntries([...groups].map(([v, f]) => [v, f.received]))).toEqual(Object.fromEntries(values.map((v, i) => [v, i + 1])));
    const paths = Object.fromEntries(
      values.map((v, i) => [
        `received|${pathName([
          ['category', 'c>d'],
          ['street', v],
        ])}`,
        String(i + 1),
      ]),
    );
    const drilled = new Map<string, MutableFields>();
    sumBucketPathGroups(paths, `|${pathName([['category', 'c>d']])}>street=`, drilled);
    expect([...drilled.keys()]).toEqual(values);
  });

  it('reads fields written before the encoding as they were (a lone % stays itself)', () => {
    const groups = new Map<string, MutableFields>();
    sumBucketGroups({ 'volume|item=100%': '3', 'volume|item=a_b': '2' }, 'item', groups);
    expect([...groups.keys()]).toEqual(['100%', 'a_b']);
  });
});
