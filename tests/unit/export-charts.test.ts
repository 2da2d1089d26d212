import { describe, expect, it } from 'vitest';
import type { SeriesResponse } from '../../shared/api-types.ts';
import {
  crossRegionByPartnerData,
  crossRegionByPartnerOption,
  hallMonthlyData,
  hotlineMonthlyData,
  hotlineMonthlyOption,
  monthLabel,
  bucketLabel,
  onlineYoyData,
  onlineYoyOption,
} from '../../shared/charts/index.ts';

const series: SeriesResponse = {
  period: { from: '2022-01-01', to: '2022-03-31' },
  interval: 'month',
  buckets: ['2022-01-01', '2022-02-01', '2022-03-01'],
  series: {
    'hotline.signed': [{ value: 10 }, { value: 0 }, { value: 7 }],
    'hotline.completed': [{ value: 9 }, { value: 0 }, { value: 7 }],
    'hotline.satisfactionRate': [
      { value: 0.9916, numerator: 1, denominator: 1 },
      { value: null, numerator: 0, denominator: 0 },
      { value: 1 },
    ],
    'online.volume': [{ value: 500 }, { value: 600 }, { value: 0 }],
    'online.yoyMultiple': [
      { value: 5, numerator: 500, denominator: 100 },
      { value: null, numerator: 600, denominator: 0 },
      { value: null },
    ],
    'hall.servedMatters': [{ value: 3 }, { value: 4 }, { value: 5 }],
  },
};

describe('shared charts', () => {
  it('labels months and days in Chinese and English', () => {
    expect(monthLabel('2022-03-01')).toBe('3月');
    expect(monthLabel('2022-12-01', 'en')).toBe('Dec');
    expect(bucketLabel('2022-03-05', 'day')).toBe('5日');
  });

  it('draws the hotline months with satisfaction in percent and a gap, not 0, for a month without visits', () => {
    const option = hotlineMonthlyOption(hotlineMonthlyData(series), 'zh-CN', true);
    expect(option.animation).toBe(false);
    expect(option.xAxis).toMatchObject({ data: ['1月', '2月', '3月'] });
    const [signed, completed, satisfaction] = option.series as { name: string; data: unknown[] }[];
    expect(signed).toMatchObject({ name: '签收工单', data: [10, 0, 7] });
    expect(completed).toMatchObject({ name: '办结工单', data: [9, 0, 7] });
    expect(satisfaction).toMatchObject({ name: '回访满意度', data: [99.16, null, 100] });
  });

  it('takes last year’s online volume from the multiple’s denominator', () => {
    expect(onlineYoyData(series)).toEqual({
      buckets: series.buckets,
      interval: 'month',
      thisYear: [500, 600, 0],
      lastYear: [100, 0, null],
    });
    const option = onlineYoyOption(onlineYoyData(series), 'en');
    expect((option.series as { name: string }[]).map((s) => s.name)).toEqual(['This year', 'Same period last year']);
    // Counts on the axis as the report writes them, without thousands separators.
    const { axisLabel } = option.yAxis as { axisLabel: { formatter: (v: number) => string } };
    expect(axisLabel.formatter(713752)).toBe('713752');
  });

  it('reads the hall months', () => {
    expect(hallMonthlyData(series).servedMatters).toEqual([3, 4, 5]);
  });

  it('orders partners by cases received and leaves out partners without cases', () => {
    const data = crossRegionByPartnerData([
      { key: '广州市', kpis: { 'crossRegion.received': { value: 3 }, 'crossRegion.completed': { value: 2 } } },
      { key: '湘潭市岳塘区', kpis: { 'crossRegion.received': { value: 9 }, 'crossRegion.completed': { value: 9 } } },
      { key: '贵阳市', kpis: { 'crossRegion.received': { value: 0 }, 'crossRegion.completed': { value: 0 } } },
    ]);
    expect(data).toEqual({ partners: ['湘潭市岳塘区', '广州市'], received: [9, 3], completed: [9, 2] });
    expect(crossRegionByPartnerOption(data).xAxis).toMatchObject({ data: ['湘潭市岳塘区', '广州市'] });
  });
});
