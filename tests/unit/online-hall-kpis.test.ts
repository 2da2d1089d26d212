import { describe, expect, it } from 'vitest';
import { KPI_BY_ID, computeKpis } from '../../shared/kpis.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';

describe('一网通办 KPIs', () => {
  const fields = { volume: 713_752, 'volume.fullyOnline': 600_000, 'volume.mobile': 250_000, '_prev.volume': 38_383 };

  it('reproduces the 2022 report: 713752 件, 18 times the previous year’s 38383', () => {
    const k = computeKpis({ online: fields });
    expect(k['online.volume']).toEqual({ value: 713_752 });
    expect(k['online.yoyMultiple']).toEqual({ value: 713_752 / 38_383, numerator: 713_752, denominator: 38_383 });
    expect(Math.floor(k['online.yoyMultiple']!.value!)).toBe(18);
    expect(k['online.yoyGrowth']).toEqual({ value: (713_752 - 38_383) / 38_383, numerator: 713_752 - 38_383, denominator: 38_383 });
    expect(k['online.yoyGrowth']!.value).toBeCloseTo(k['online.yoyMultiple']!.value! - 1, 12);
  });

  it('gives the fully-online rate and mobile share as fractions of the volume', () => {
    const k = computeKpis({ online: fields });
    expect(k['online.fullyOnlineRate']).toEqual({ value: 600_000 / 713_752, numerator: 600_000, denominator: 713_752 });
    expect(k['online.mobileShare']).toEqual({ value: 250_000 / 713_752, numerator: 250_000, denominator: 713_752 });
  });

  it('reports a fall as negative growth', () => {
    const k = computeKpis({ online: { volume: 75, '_prev.volume': 100 } });
    expect(k['online.yoyMultiple']!.value).toBe(0.75);
    expect(k['online.yoyGrowth']).toEqual({ value: -0.25, numerator: -25, denominator: 100 });
  });

  it('gives null year-on-year figures when the previous year had no volume, and null rates over no volume', () => {
    const k = computeKpis({ online: { volume: 10 } });
    expect(k['online.yoyMultiple']).toEqual({ value: null, numerator: 10, denominator: 0 });
    expect(k['online.yoyGrowth']!.value).toBeNull();
    const empty = computeKpis({ online: {} });
    expect(empty['online.volume']).toEqual({ value: 0 });
    expect(empty['online.fullyOnlineRate']!.value).toBeNull();
    expect(empty['online.mobileShare']!.value).toBeNull();
  });

  it('marks the year-on-year KPIs as needing the previous year, and only them', () => {
    const needing = [...KPI_BY_ID.values()].filter((d) => d.feed === 'online' && d.needsPreviousYear).map((d) => d.id);
    expect(needing.sort()).toEqual(['online.yoyGrowth', 'online.yoyMultiple']);
  });
});

describe('政务大厅 KPIs', () => {
  const fields = {
    served: 374_639,
    taken: 400_000,
    abandoned: 8_000,
    visitors: 500_000,
    '_days.active': 250,
    'wait.count': 4,
    'wait.sumSeconds': 4 * 600 + 90, // 10 min each, plus 1.5 min
    'wait.withinTarget': 3,
    'service.count': 2,
    'service.sumSeconds': 1_500,
    '_live.waitingNow': 17,
  };

  it('reproduces the report: 374639 件次 served, 2000 人次 a day', () => {
    const k = computeKpis({ hall: fields });
    expect(k['hall.servedMatters']).toEqual({ value: 374_639 });
    expect(k['hall.taken']).toEqual({ value: 400_000 });
    expect(k['hall.visitors']).toEqual({ value: 500_000 });
    expect(k['hall.openDays']).toEqual({ value: 250 });
    expect(k['hall.dailyAvgVisitors']).toEqual({ value: 2_000, numerator: 500_000, denominator: 250 });
    expect(k['hall.waitingNow']).toEqual({ value: 17 });
  });

  it('gives mean waits and service times in minutes, with total minutes over visitors', () => {
    const k = computeKpis({ hall: fields });
    expect(k['hall.avgWaitMinutes']).toEqual({ value: 10.375, numerator: 41.5, denominator: 4 });
    expect(k['hall.avgServiceMinutes']).toEqual({ value: 12.5, numerator: 25, denominator: 2 });
  });

  it('gives the abandon and wait-target rates', () => {
    const k = computeKpis({ hall: fields });
    expect(k['hall.abandonRate']).toEqual({ value: 0.02, numerator: 8_000, denominator: 400_000 });
    expect(k['hall.waitTargetRate']).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
  });

  it('gives null means, rates and daily averages over nothing, and zero counts', () => {
    const k = computeKpis({ hall: {} });
    for (const id of ['hall.servedMatters', 'hall.taken', 'hall.visitors', 'hall.openDays', 'hall.waitingNow'])
      expect(k[id]).toEqual({ value: 0 });
    for (const id of [
      'hall.dailyAvgVisitors',
      'hall.avgWaitMinutes',
      'hall.avgServiceMinutes',
      'hall.abandonRate',
      'hall.waitTargetRate',
    ]) {
      expect(k[id]!.value).toBeNull();
    }
  });

  it('does not depend on settings (the wait limit is applied when visits are counted)', () => {
    expect(computeKpis({ hall: fields }, { ...DEFAULT_SETTINGS, hallWaitLimitMinutes: 5 })).toEqual(computeKpis({ hall: fields }));
  });
});

describe('online and hall definitions', () => {
  const expected: Record<string, [kind: string, unit: string]> = {
    'online.volume': ['count', '件'],
    'online.fullyOnlineRate': ['rate', '%'],
    'online.mobileShare': ['rate', '%'],
    'online.yoyMultiple': ['ratio', '倍'],
    'online.yoyGrowth': ['rate', '%'],
    'hall.servedMatters': ['count', '件次'],
    'hall.taken': ['count', '人次'],
    'hall.visitors': ['count', '人次'],
    'hall.openDays': ['count', '天'],
    'hall.dailyAvgVisitors': ['ratio', '人次'],
    'hall.avgWaitMinutes': ['mean', '分钟'],
    'hall.avgServiceMinutes': ['mean', '分钟'],
    'hall.abandonRate': ['rate', '%'],
    'hall.waitTargetRate': ['rate', '%'],
    'hall.waitingNow': ['live', '人'],
  };

  it('defines every KPI of KPIS.md for the two feeds, once, with its kind and unit', () => {
    const defs = [...KPI_BY_ID.values()].filter((d) => d.feed === 'online' || d.feed === 'hall');
    expect(defs.map((d) => d.id).sort()).toEqual(Object.keys(expected).sort());
    for (const d of defs) expect([d.kind, d.unitZh]).toEqual(expected[d.id]);
  });
});
