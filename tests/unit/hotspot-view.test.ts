import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { Hotspot } from '../../shared/analytics/hotspots.ts';
import { expectedByDay, formatExpected, formatScore, formatSince, hotspotPlace, orderHotspots } from '../../client/src/hotspot-view.ts';
import { useHotspotStore } from '../../client/src/stores/hotspots.ts';
import { trendDays, trendOption, trendQuery, TREND_DAYS } from '../../client/src/views/console/hotspot-trend.ts';

/** A hotspot raised at 10:00 Beijing time on 3 December 2026, active unless `end` is given. */
function hotspot(id: string, over: Partial<Hotspot> = {}): Hotspot {
  return {
    id,
    category: '城市管理',
    street: '文艺路街道',
    start: '2026-12-03T00:00:00Z',
    end: null,
    raisedAt: '2026-12-03T02:00:00Z',
    observed: 12,
    expected: 2.1,
    score: 6.2,
    level: '橙',
    ticketIds: ['T-1'],
    review: { state: 'new' },
    ...over,
  };
}

describe('orderHotspots (the wall panel and the 研判 list)', () => {
  it('puts active ones first, then the higher level, the stronger evidence, the later raise', () => {
    const ordered = orderHotspots([
      hotspot('ended-red', { level: '红', end: '2026-12-03T08:00:00Z' }),
      hotspot('yellow', { level: '黄', score: 9 }),
      hotspot('orange-weak', { score: 4 }),
      hotspot('orange-strong', { score: 7 }),
      hotspot('red', { level: '红', score: 5 }),
      hotspot('orange-later', { score: 7, raisedAt: '2026-12-03T03:00:00Z' }),
    ]);
    expect(ordered.map((h) => h.id)).toEqual(['red', 'orange-later', 'orange-strong', 'orange-weak', 'yellow', 'ended-red']);
  });
});

describe('a score that is not a number (null on the wire: −log10 of a p-value that underflowed to 0)', () => {
  it('is shown as — and sorts as the strongest evidence', () => {
    const unbounded = hotspot('unbounded', { score: null as unknown as number });
    expect(formatScore(unbounded.score)).toBe('—');
    expect(formatScore(6.25)).toBe('6.3');
    expect(orderHotspots([hotspot('strong', { score: 40 }), unbounded]).map((h) => h.id)).toEqual(['unbounded', 'strong']);
  });
});

describe('hotspot words and figures', () => {
  it('writes the expectation with one decimal below ten and whole above', () => {
    expect(formatExpected(2.14)).toBe('2.1');
    expect(formatExpected(0)).toBe('0.0');
    expect(formatExpected(14.6)).toBe('15');
    expect(formatExpected(Number.NaN)).toBe('—');
  });
  it('names category · street, or the whole district / all categories for a one-dimension hotspot', () => {
    expect(hotspotPlace(hotspot('a'), '各类诉求', '全区')).toBe('城市管理 · 文艺路街道');
    expect(hotspotPlace({ category: '城市管理' }, '各类诉求', '全区')).toBe('城市管理 · 全区');
    expect(hotspotPlace({ street: '朝阳街道' }, '各类诉求', '全区')).toBe('各类诉求 · 朝阳街道');
  });
  it('gives since when in Beijing time, with the date when it began before today', () => {
    expect(formatSince('2026-12-03T02:05:00Z', '2026-12-03')).toBe('10:05');
    expect(formatSince('2026-12-02T17:30:00Z', '2026-12-04')).toBe('12-03 01:30');
  });
});

describe('expectedByDay (the trend chart’s expectation line)', () => {
  it('spreads the expectation over the local days of the window by their hours', () => {
    // 20:00 on 2 December to 08:00 on 3 December, Beijing time: 4 hours on the 2nd, 8 on the 3rd.
    const h = { start: '2026-12-02T12:00:00Z', end: '2026-12-03T00:00:00Z', expected: 3 };
    const byDay = expectedByDay(h, new Date('2026-12-04T00:00:00Z'));
    expect([...byDay.keys()]).toEqual(['2026-12-02', '2026-12-03']);
    expect(byDay.get('2026-12-02')).toBeCloseTo(1);
    expect(byDay.get('2026-12-03')).toBeCloseTo(2);
  });
  it('runs an active hotspot’s window up to now', () => {
    const byDay = expectedByDay({ start: '2026-12-03T00:00:00Z', end: null, expected: 2 }, new Date('2026-12-03T01:30:00Z'));
    expect([...byDay]).toEqual([['2026-12-03', 2]]);
  });
});

describe('the trend of a hotspot', () => {
  it('asks for street within the category (the hotline drill path), or for the one dimension it has', () => {
    expect(trendQuery({ category: '城市管理', street: '文艺路街道' })).toEqual({
      groupBy: 'street',
      where: [['category', '城市管理']],
      key: '文艺路街道',
    });
    expect(trendQuery({ category: '城市管理' })).toEqual({ groupBy: 'category', where: [], key: '城市管理' });
    expect(trendQuery({ street: '朝阳街道' })).toEqual({ groupBy: 'street', where: [], key: '朝阳街道' });
  });
  it('shows the weeks up to its last day, the window’s days marked and its expectation only there', () => {
    const h = hotspot('a', { start: '2026-12-02T16:00:00Z', expected: 2 }); // from midnight, 3 December, Beijing
    const now = new Date('2026-12-03T04:00:00Z');
    const days = trendDays(h, now);
    expect(days).toHaveLength(TREND_DAYS);
    expect(days.at(-1)).toBe('2026-12-03');
    expect(days[0]).toBe('2026-11-13');
    const counts = days.map((_, i) => (i === days.length - 1 ? 12 : 1));
    const option = trendOption(h, days, counts, { daily: '每日签收', expected: '预期' }, now);
    const [bars, line] = option.series as { data: unknown[] }[];
    expect(bars!.data.at(-1)).toMatchObject({ value: 12 });
    expect(bars!.data[0]).toBe(1);
    expect(line!.data.at(-1)).toBe(2);
    expect(line!.data.slice(0, -1).every((v) => v === '-')).toBe(true);
  });
});

describe('the wall’s hotspot store', () => {
  it('replaces the list with each socket message, keeps only active ones, most pressing first', () => {
    setActivePinia(createPinia());
    const store = useHotspotStore();
    expect(store.received).toBe(false);
    store.applyActive({
      active: [hotspot('y', { level: '黄' }), hotspot('r', { level: '红' }), hotspot('gone', { end: '2026-12-03T05:00:00Z' })],
    });
    expect(store.active.map((h) => h.id)).toEqual(['r', 'y']);
    expect(store.received).toBe(true);
    store.applyActive({ active: [] });
    expect(store.count).toBe(0);
  });
});
