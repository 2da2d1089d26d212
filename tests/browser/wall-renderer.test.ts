import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { withAppAndBrowser } from '../support/app-browser.ts';
import { wallNow } from './wall-records.ts';

/**
 * The wall runs for weeks on whatever PC is behind the screen (issue 19, item 7): its animations must be ones the
 * compositor runs alone (transform, opacity, filter), so a wall whose figures do not change does no style, layout or paint
 * work on the page's main thread — only the title bar's clock, once a second.
 */
let app: TestApp;
let browser: Browser;
let admin: string;

withAppAndBrowser((started) => ({ app, browser, admin } = started));

const POLL = { timeout: 15_000 };
/** What Chromium's compositor animates without the main thread (filter: a stale card greys out). */
const COMPOSITED = ['transform', 'opacity', 'filter'];

/** Before any page script: every CSS transition's property and every CSS animation's name the page starts. */
async function recordAnimations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen = { transitions: [] as string[], animations: [] as string[] };
    (window as unknown as { __animated: typeof seen }).__animated = seen;
    document.addEventListener('transitionrun', (e) => seen.transitions.push(e.propertyName), true);
    document.addEventListener('animationstart', (e) => seen.animations.push(e.animationName), true);
  });
}

/** The properties the page animated: transitions' properties and the properties in the started animations' keyframes. */
function animatedProperties(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = (window as unknown as { __animated: { transitions: string[]; animations: string[] } }).__animated;
    const props = new Set(seen.transitions);
    const names = new Set(seen.animations);
    const visit = (rules: CSSRuleList) => {
      for (const rule of rules) {
        if (rule instanceof CSSKeyframesRule && names.has(rule.name)) {
          for (const frame of rule.cssRules) {
            const style = (frame as CSSKeyframeRule).style;
            for (let i = 0; i < style.length; i++) props.add(style.item(i));
          }
        } else if ('cssRules' in rule) visit((rule as CSSGroupingRule).cssRules);
      }
    };
    for (const sheet of document.styleSheets) visit(sheet.cssRules);
    return [...props].sort();
  });
}

describe('wall renderer', () => {
  it('animates only transform and opacity, and a wall whose figures stay still recalculates style far less than once a frame', async () => {
    const now = wallNow();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now));
    // A red alert (resolution 0 %: its card pulses), ranked streets, bars of channels, a ticker.
    await app.ingest('hotline', [
      { ticketId: 'R-1', type: 'signed', at: at(30), street: '文艺路街道', category: '城市管理' },
      { ticketId: 'R-1', type: 'completed', at: at(20) },
      { ticketId: 'R-1', type: 'visited', at: at(10), resolved: false, satisfaction: 'dissatisfied' },
    ]);
    await app.ingest('online', [{ date: day, itemCode: 'X1', channel: 'pc', count: 40 }]);
    await app.ingest('evaluations', [{ id: 'E1', at: at(3), rating: 5, channel: 'window' }]);

    for (const screen of ['hotline', 'services']) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await recordAnimations(page);
      await page.goto(`${app.baseUrl}/wall?token=${admin}&screens=${screen}`);
      await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state'), POLL).toBe('live');
      if (screen === 'hotline')
        await expect.poll(() => page.getAttribute('[data-kpi="hotline.resolutionRate"]', 'data-alert'), POLL).toBe('red');

      // Figures move: reels roll, bars grow, the ranking and the ticker change.
      await app.ingest('hotline', [{ ticketId: `R-2-${screen}`, type: 'signed', at: at(1), street: '朝阳街道', category: '市场监管' }]);
      await app.ingest('online', [{ date: day, itemCode: 'X1', channel: 'mobile', count: 90 }]);
      await app.ingest('evaluations', [{ id: `E2-${screen}`, at: at(1), rating: 1, channel: 'pc' }]);
      const moved = screen === 'hotline' ? '[data-kpi="hotline.signed"]' : '[data-kpi="online.volume"]';
      await expect
        .poll(() => page.getAttribute(`${moved} [data-testid="kpi-value"]`, 'data-value'), POLL)
        .toBe(screen === 'hotline' ? '2' : '130');
      await page.waitForFunction(() =>
        document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
      );
      const animated = await animatedProperties(page);
      expect(animated.length).toBeGreaterThan(0);
      expect(animated.filter((p) => !COMPOSITED.includes(p))).toEqual([]);

      // Nothing arrives now: over three clock ticks no animation runs on the main thread (one would recalculate style
      // on every frame, some 60 times a second: the old box-shadow pulse gave 52 a second). A ticker that scrolled
      // without end, transform only, still cost ~13 a second; it now moves item by item and stands still between
      // steps, and a red card's pulse ends (bench/RESULTS.md, "wall-ticker-notes").
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const count = async () =>
        ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find(
          (m) => m.name === 'RecalcStyleCount',
        )!.value;
      const clock = () => page.textContent('[data-testid=clock]');
      const first = await clock();
      await expect.poll(clock, POLL).not.toBe(first);
      const before = await count();
      const ticks: string[] = [(await clock())!];
      while (ticks.length < 4) {
        await expect.poll(clock, POLL).not.toBe(ticks.at(-1));
        ticks.push((await clock())!);
      }
      const recalcs = (await count()) - before;
      expect(recalcs).toBeLessThanOrEqual(20 * ticks.length);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
