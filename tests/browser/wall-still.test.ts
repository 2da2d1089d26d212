import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { withAppAndBrowser } from '../support/app-browser.ts';
import { wallNow } from './wall-records.ts';

/**
 * A live wall whose figures stop changing comes to rest (issue 19, item 7): no animation on it runs without end —
 * the red card pulses a few times and then glows steady, the ticker moves item by item and rests — so the page's
 * renderer has nothing to draw until a figure changes (an endless animation, even a transform or opacity one, kept
 * headless Chromium recalculating style many times a second).
 */
let app: TestApp;
let browser: Browser;
let admin: string;

withAppAndBrowser((started) => ({ app, browser, admin } = started));

const POLL = { timeout: 15_000 };

describe('still wall', () => {
  it('runs no endless animation while live: a red card pulses, then glows steady', async () => {
    const now = wallNow();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    // Resolution 0 %: red.
    await app.ingest('hotline', [
      { ticketId: 'S-1', type: 'signed', at: at(30), street: '文艺路街道', category: '城市管理' },
      { ticketId: 'S-1', type: 'completed', at: at(20) },
      { ticketId: 'S-1', type: 'visited', at: at(10), resolved: false, satisfaction: 'dissatisfied' },
    ]);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.baseUrl}/wall?token=${admin}&screens=hotline`);
    await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state'), POLL).toBe('live');
    await expect.poll(() => page.getAttribute('[data-kpi="hotline.resolutionRate"]', 'data-alert'), POLL).toBe('red');

    const endless = () =>
      page.evaluate(() =>
        document
          .getAnimations()
          .filter((a) => a.effect?.getComputedTiming().endTime === Infinity)
          .map((a) => (a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty ?? 'script'),
      );
    const redGlow = () =>
      page.evaluate(() => Number(getComputedStyle(document.querySelector('[data-kpi="hotline.resolutionRate"]')!, '::after').opacity));
    // While it pulses the red card's glow animates (finitely); once done it stays lit, and nothing runs without end.
    expect(await endless()).toEqual([]);
    await expect.poll(() => page.evaluate(() => document.getAnimations().length), { timeout: 30_000 }).toBe(0);
    expect(await redGlow()).toBe(0.5);
    expect(await endless()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
