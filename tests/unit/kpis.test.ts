import { describe, expect, it } from 'vitest';
import { KPI_BY_ID, computeKpis, rate } from '../../shared/kpis.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';

describe('rate', () => {
  it('is a fraction with numerator and denominator, null over nothing (never NaN, never 0%)', () => {
    expect(rate(2380, 2735)).toEqual({ value: 2380 / 2735, numerator: 2380, denominator: 2735 });
    expect(rate(0, 0)).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(rate(0, 5).value).toBe(0);
  });
});

describe('hotline KPIs', () => {
  const fields = {
    signed: 3037,
    completed: 2792,
    visited: 2735,
    'visited.resolvedKnown': 2735,
    'visited.resolvedYes': 2380,
    'visited.sat.very_satisfied': 2000,
    'visited.sat.satisfied': 600,
    'visited.sat.basically_satisfied': 112,
    'visited.sat.dissatisfied': 20,
    'visited.sat.very_dissatisfied': 3,
  };

  it('reproduces the 2022 report figures', () => {
    const k = computeKpis({ hotline: fields });
    expect(k['hotline.signed']).toEqual({ value: 3037 });
    expect(k['hotline.completed']).toEqual({ value: 2792 });
    expect(k['hotline.visited']).toEqual({ value: 2735 });
    expect(k['hotline.resolutionRate']).toEqual({ value: 2380 / 2735, numerator: 2380, denominator: 2735 });
    expect(k['hotline.satisfactionRate']).toEqual({ value: 2712 / 2735, numerator: 2712, denominator: 2735 });
    expect(k['hotline.completionRate']!.value).toBeCloseTo(2792 / 3037, 12);
  });

  it('leaves 基本满意 out of satisfaction when the setting says so', () => {
    const k = computeKpis({ hotline: fields }, { ...DEFAULT_SETTINGS, countBasicallySatisfied: false });
    expect(k['hotline.satisfactionRate']).toEqual({ value: 2600 / 2735, numerator: 2600, denominator: 2735 });
  });

  it('gives null rates and zero counts for a period without data', () => {
    const k = computeKpis({ hotline: {} });
    expect(k['hotline.signed']).toEqual({ value: 0 });
    expect(k['hotline.resolutionRate']!.value).toBeNull();
    expect(k['hotline.satisfactionRate']!.value).toBeNull();
  });

  it('names every KPI in Chinese and English', () => {
    for (const def of KPI_BY_ID.values()) {
      expect(def.nameZh).toMatch(/\p{Script=Han}/u);
      expect(def.nameEn).toMatch(/^[A-Z]/);
    }
  });
});
