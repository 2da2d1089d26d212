import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHART_PACE_MS, drop, pace } from '../../client/src/views/wall/chart-pace.ts';

describe('chart pace (the wall charts redraw together)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-04T10:00:01.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  it("draws a chart's first figures at once, then only its newest, with the other charts, at the next boundary", () => {
    const drawn: string[] = [];
    const streets = {};
    const categories = {};
    pace(streets, () => drawn.push('streets 1'));
    pace(categories, () => drawn.push('categories 1'));
    expect(drawn).toEqual(['streets 1', 'categories 1']);

    pace(streets, () => drawn.push('streets 2'));
    pace(streets, () => drawn.push('streets 3'));
    vi.advanceTimersByTime(1_000);
    pace(categories, () => drawn.push('categories 2'));
    // 10:00:01 → the boundary is 10:00:03 (a multiple of CHART_PACE_MS on the clock): nothing before it.
    vi.advanceTimersByTime(CHART_PACE_MS - (Date.now() % CHART_PACE_MS) - 1);
    expect(drawn).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(drawn).toEqual(['streets 1', 'categories 1', 'streets 3', 'categories 2']);
    vi.advanceTimersByTime(CHART_PACE_MS * 3);
    expect(drawn).toHaveLength(4);
  });

  it('draws at once when asked to (an empty chart getting its first figures), and not what was dropped', () => {
    const drawn: string[] = [];
    const chart = {};
    pace(chart, () => drawn.push('empty'));
    pace(chart, () => drawn.push('first figures'), true);
    expect(drawn).toEqual(['empty', 'first figures']);
    pace(chart, () => drawn.push('unmounted'));
    drop(chart);
    vi.advanceTimersByTime(CHART_PACE_MS * 2);
    expect(drawn).toEqual(['empty', 'first figures']);
  });
});
