import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { withAppAndBrowser } from '../support/app-browser.ts';
import { wallNow } from './wall-records.ts';

/**
 * The wall draws less while figures stream in (issue 19, item 7; bench/RESULTS.md "wall-renderer-notes-2"): the
 * charts redraw together at most once per pace (client/src/views/wall/chart-pace.ts), not once per delta, and
 * without animation (one canvas frame, not one every display frame for a while); and a bar
 * whose length changes by less than a step of its track starts no transition.
 */
let app: TestApp;
let browser: Browser;
let admin: string;

withAppAndBrowser((started) => ({ app, browser, admin } = started));

const POLL = { timeout: 15_000 };
const FAST = { timeout: 15_000, intervals: [50] };

describe('wall redraws', () => {
  it('draws a ranking that changed in several deltas in a row fewer times than it changed, and ends on the newest figures', async () => {
    const now = wallNow();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    await app.ingest('hotline', [{ ticketId: 'P-0', type: 'signed', at: at(30), street: '文艺路街道', category: '城市管理' }]);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.baseUrl}/wall?token=${admin}&screens=hotline`);
    const chart = '[data-testid=streets] .rank-chart';
    // The first figures draw at once.
    await expect.poll(() => page.getAttribute(chart, 'data-drawn'), POLL).toBe('文艺路街道=1');

    // Record every change of what the chart was given (data-items) and of what it drew (data-drawn).
    await page.evaluate((selector) => {
      const seen = { items: [] as string[], drawn: [] as string[] };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const el = document.querySelector(selector)!;
      new MutationObserver((records) => {
        for (const r of records) {
          const value = el.getAttribute(r.attributeName!) ?? '';
          if (r.attributeName === 'data-items') seen.items.push(value);
          else seen.drawn.push(value);
        }
      }).observe(el, { attributes: true, attributeFilter: ['data-items', 'data-drawn'] });
    }, chart);
    // Four deltas, each waited for, so the chart is given four different rankings one after the other.
    for (let i = 1; i <= 4; i++) {
      await app.ingest('hotline', [{ ticketId: `P-${i}`, type: 'signed', at: at(1), street: '朝阳街道', category: '市场监管' }]);
      await expect.poll(() => page.getAttribute(chart, 'data-items'), FAST).toContain(`朝阳街道=${i}`);
    }
    await expect.poll(() => page.getAttribute(chart, 'data-drawn'), POLL).toBe('朝阳街道=4;文艺路街道=1');
    const seen = await page.evaluate(() => (window as unknown as { __seen: { items: string[]; drawn: string[] } }).__seen);
    expect(seen.items).toHaveLength(4);
    // Drawn once per delta, this would be four; paced, the deltas that arrive within one pace draw once.
    expect(seen.drawn.length).toBeGreaterThanOrEqual(1);
    expect(seen.drawn.length).toBeLessThan(seen.items.length);
    expect(seen.drawn.at(-1)).toBe('朝阳街道=4;文艺路街道=1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('redraws a ranking whose figures changed in one canvas frame, without animation', async () => {
    const now = wallNow();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    // 韭菜园街道 4, 五里牌街道 1: the second bar a quarter of the first (or less, with other tests' streets).
    await app.ingest('hotline', [
      ...[1, 2, 3, 4].map((i) => ({ ticketId: `F-0-${i}`, type: 'signed', at: at(30), street: '韭菜园街道', category: '住房保障' })),
      { ticketId: 'F-0-5', type: 'signed', at: at(30), street: '五里牌街道', category: '住房保障' },
    ]);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Every clear of a canvas is one frame drawn by ECharts (zrender clears its layer before each redraw).
    await page.addInitScript(() => {
      const clears = new Map<HTMLCanvasElement, number>();
      (window as unknown as { __clears: typeof clears }).__clears = clears;
      const clearRect = CanvasRenderingContext2D.prototype.clearRect;
      CanvasRenderingContext2D.prototype.clearRect = function (...args: Parameters<typeof clearRect>) {
        clears.set(this.canvas as HTMLCanvasElement, (clears.get(this.canvas as HTMLCanvasElement) ?? 0) + 1);
        return clearRect.apply(this, args);
      };
    });
    await page.goto(`${app.baseUrl}/wall?token=${admin}&screens=hotline`);
    const chart = '[data-testid=streets] .rank-chart';
    await expect.poll(() => page.getAttribute(chart, 'data-drawn'), POLL).toContain('五里牌街道=1');
    /** The streets chart's canvas frames so far, after `frames` more display frames. */
    const framesDrawn = (frames: number) =>
      page.evaluate(
        async ({ selector, frames }) => {
          for (let i = 0; i < frames; i++) await new Promise((done) => requestAnimationFrame(done));
          const canvas = document.querySelector(`${selector} canvas`) as HTMLCanvasElement;
          return (window as unknown as { __clears: Map<HTMLCanvasElement, number> }).__clears.get(canvas) ?? 0;
        },
        { selector: chart, frames },
      );
    // Wait until a whole second of frames draws nothing (an entry animation would still be drawing).
    let before = await framesDrawn(0);
    for (;;) {
      const after = await framesDrawn(60);
      if (after === before) break;
      before = after;
    }
    // The screen came up with its figures drawn, not grown in over a second of frames (some 25 with ECharts' entry animation).
    expect(before).toBeLessThanOrEqual(4);

    // 五里牌街道's bar doubles.
    await app.ingest('hotline', [{ ticketId: 'F-1', type: 'signed', at: at(1), street: '五里牌街道', category: '住房保障' }]);
    await expect.poll(() => page.getAttribute(chart, 'data-drawn'), POLL).toContain('五里牌街道=2');
    // A 300 ms update animation drew some 18 frames here; without one the new bars are drawn once.
    const redraws = (await framesDrawn(60)) - before;
    expect(redraws).toBeGreaterThanOrEqual(1);
    expect(redraws).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('starts no bar transition when the longest bar grows by one and the others change by less than a step', async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(wallNow()));
    await app.ingest('online', [
      { date: day, itemCode: 'B1', channel: 'pc', count: 400 },
      { date: day, itemCode: 'B1', channel: 'mobile', count: 300 },
    ]);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      const runs: string[] = [];
      (window as unknown as { __barRuns: string[] }).__barRuns = runs;
      document.addEventListener(
        'transitionrun',
        (e) => {
          const target = e.target as HTMLElement;
          if (target.classList.contains('bar')) runs.push(target.closest('[data-key]')?.getAttribute('data-key') ?? '?');
        },
        true,
      );
    });
    await page.goto(`${app.baseUrl}/wall?token=${admin}&screens=services`);
    const row = (key: string) => `[data-testid=online-panel] .row[data-key=${key}]`;
    await expect.poll(() => page.getAttribute(row('pc'), 'data-value'), POLL).toBe('400');
    await expect.poll(() => page.getAttribute(row('mobile'), 'data-value'), POLL).toBe('300');
    // The bars have grown from nothing to their first lengths; from here, record only what the next delta starts.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await page.evaluate(() => ((window as unknown as { __barRuns: string[] }).__barRuns.length = 0));

    // 网上办 400 → 401: 掌上办's bar goes from 300/400 to 300/401 of the track, 0.19 % — less than a step (0.5 %).
    await app.ingest('online', [{ date: day, itemCode: 'B2', channel: 'pc', count: 1 }]);
    await expect.poll(() => page.getAttribute(row('pc'), 'data-value'), POLL).toBe('401');
    // Transitions start in the style update of the frame after the change and are announced in the frame after that.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done)))));
    expect(await page.evaluate(() => (window as unknown as { __barRuns: string[] }).__barRuns)).toEqual([]);

    // A change of a step or more still moves: 掌上办 300 → 340 (75 % → 84.8 % of the track).
    await app.ingest('online', [{ date: day, itemCode: 'B2', channel: 'mobile', count: 40 }]);
    await expect.poll(() => page.getAttribute(row('mobile'), 'data-value'), POLL).toBe('340');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __barRuns: string[] }).__barRuns), POLL).toEqual(['mobile']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
