import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { wallNow } from './wall-records.ts';

/**
 * The wall draws less while figures stream in (issue 19, item 7; bench/RESULTS.md "wall-renderer-notes-2"): the
 * charts redraw together at most once per pace (client/src/views/wall/chart-pace.ts), not once per delta.
 */
let app: TestApp;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  admin = await app.login();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

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
});
