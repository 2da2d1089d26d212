import { describe, expect, it } from 'vitest';
import { KPI_BY_ID, computeKpis } from '../../shared/kpis.ts';
import { partnersByScope } from '../../shared/feeds/cross-region/kpis.ts';

describe('crossRegion KPIs', () => {
  // The 2022 report: 15 跨省通办 partners, 3 长株潭 partners, 139 catalogue items.
  const fields = {
    received: 240,
    completed: 228,
    returned: 5,
    '_ref.partners': 18,
    '_ref.partners.inter_provincial': 15,
    '_ref.partners.changzhutan': 3,
    '_ref.items': 139,
  };

  it('reproduces the report’s partner and item counts, with the partners by scope', () => {
    const k = computeKpis({ crossRegion: fields });
    expect(k['crossRegion.partners']).toEqual({ value: 18, breakdown: { inter_provincial: 15, changzhutan: 3 } });
    expect(partnersByScope(fields)).toEqual({ inter_provincial: 15, changzhutan: 3 });
    expect(k['crossRegion.items']).toEqual({ value: 139 });
  });

  it('counts cases received and completed, and the completion rate over received', () => {
    const k = computeKpis({ crossRegion: fields });
    expect(k['crossRegion.received']).toEqual({ value: 240 });
    expect(k['crossRegion.completed']).toEqual({ value: 228 });
    expect(k['crossRegion.completionRate']).toEqual({ value: 228 / 240, numerator: 228, denominator: 240 });
  });

  it('gives zero counts and a null rate for a period without data', () => {
    const k = computeKpis({ crossRegion: {} });
    expect(k['crossRegion.partners']).toEqual({ value: 0, breakdown: { inter_provincial: 0, changzhutan: 0 } });
    expect(partnersByScope({})).toEqual({ inter_provincial: 0, changzhutan: 0 });
    expect(k['crossRegion.received']).toEqual({ value: 0 });
    expect(k['crossRegion.completionRate']).toEqual({ value: null, numerator: 0, denominator: 0 });
  });
});

describe('evaluations KPIs', () => {
  const fields = {
    count: 12_000,
    positive: 11_988,
    negative: 3,
    'rating.5': 11_000,
    'rating.4': 988,
    'rating.3': 9,
    'rating.2': 2,
    'rating.1': 1,
  };

  it('counts ratings and 差评, with 好评率 and 差评率 over all ratings', () => {
    const k = computeKpis({ evaluations: fields });
    expect(k['evaluations.count']).toEqual({ value: 12_000 });
    expect(k['evaluations.positiveRate']).toEqual({ value: 11_988 / 12_000, numerator: 11_988, denominator: 12_000 });
    expect(k['evaluations.negative']).toEqual({ value: 3 });
    expect(k['evaluations.negativeRate']).toEqual({ value: 3 / 12_000, numerator: 3, denominator: 12_000 });
  });

  it('gives null rates, never 0%, when nobody rated', () => {
    const k = computeKpis({ evaluations: {} });
    expect(k['evaluations.count']).toEqual({ value: 0 });
    expect(k['evaluations.negative']).toEqual({ value: 0 });
    expect(k['evaluations.positiveRate']!.value).toBeNull();
    expect(k['evaluations.negativeRate']!.value).toBeNull();
  });

  it('computes only the KPIs of the feeds given', () => {
    const k = computeKpis({ evaluations: fields });
    expect(Object.keys(k).some((id) => id.startsWith('crossRegion.'))).toBe(false);
  });
});

describe('the dictionary entries of KPIS.md', () => {
  it('defines every 跨域通办 and 好差评 KPI under its id, with the report’s names and units', () => {
    const entries = [
      ['crossRegion.partners', '合作地区', 'count', '个'],
      ['crossRegion.items', '通办事项', 'count', '项'],
      ['crossRegion.received', '受理件数', 'count', '件'],
      ['crossRegion.completed', '办结件数', 'count', '件'],
      ['crossRegion.completionRate', '办结率', 'rate', '%'],
      ['evaluations.count', '评价数', 'count', '条'],
      ['evaluations.positiveRate', '好评率', 'rate', '%'],
      ['evaluations.negative', '差评数', 'count', '条'],
      ['evaluations.negativeRate', '差评率', 'rate', '%'],
    ] as const;
    for (const [id, nameZh, kind, unitZh] of entries) {
      expect(KPI_BY_ID.get(id), id).toMatchObject({ id, feed: id.split('.')[0], nameZh, kind, unitZh });
    }
    const ours = [...KPI_BY_ID.keys()].filter((id) => id.startsWith('crossRegion.') || id.startsWith('evaluations.'));
    expect(ours.sort()).toEqual(entries.map(([id]) => id).sort());
  });
});
