import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { sendToday } from './wall-records.ts';

let app: TestApp;
let browser: Browser;
let token: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  token = await app.login();
  await sendToday(app, token);
  mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

interface Overflow {
  what: string;
  detail: string;
}

/**
 * Everything on the wall's canvas that does not fit: a panel or card whose content overflows it, any
 * element whose box leaves the 1920×1080 canvas, and text cut inside its own box.
 */
function findOverflows(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const screen = document.querySelector<HTMLElement>('[data-testid=wall-screen]')!;
    const bounds = screen.getBoundingClientRect();
    const out: { what: string; detail: string }[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${el.getAttribute('data-kpi') ? `[${el.getAttribute('data-kpi')}]` : ''}`;
    for (const el of screen.querySelectorAll<HTMLElement>(
      '.wall-panel, .panel-body, .kpi-card, .title-bar, .side, td, .label, .name, h2, h3',
    )) {
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
        out.push({ what: name(el), detail: `scroll ${el.scrollWidth}×${el.scrollHeight} > client ${el.clientWidth}×${el.clientHeight}` });
      }
    }
    for (const el of screen.querySelectorAll<HTMLElement>('*')) {
      if (el.closest('[data-testid=ticker] .track')) continue; // the ticker scrolls by design, clipped by its strip
      if (el.closest('.text') && el.closest('.rolling-number')) continue; // the visually hidden copy of a figure
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < bounds.left - 1 || r.top < bounds.top - 1 || r.right > bounds.right + 1 || r.bottom > bounds.bottom + 1) {
        out.push({
          what: name(el),
          detail: `box ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} outside the screen`,
        });
      }
    }
    return out;
  });
}

const SIZES = [
  { label: '1920x1080', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 },
  { label: '3840x2160', viewport: { width: 3840, height: 2160 }, deviceScaleFactor: 1 },
  { label: '1920x1080@2x', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 2 },
  { label: '1366x768', viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
] as const;

describe('wall layout', () => {
  for (const size of SIZES) {
    for (const screen of ['hotline', 'services'] as const) {
      it(`${screen} fits at ${size.label}, letterboxed, with charts drawn at device resolution`, async () => {
        const page = await browser.newPage({ viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${app.baseUrl}/wall?token=${token}&screens=${screen}&kiosk=1`);
        await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state'), { timeout: 15_000 }).toBe('live');
        await expect.poll(() => page.getAttribute('[data-testid=wall-screen]', 'data-current-screen'), { timeout: 10_000 }).toBe(screen);
        await page.waitForTimeout(1500); // reels and charts finish their animation

        // Letterboxed: the canvas keeps 16:9 and is centred.
        const box = (await page.locator('[data-testid=wall-screen]').boundingBox())!;
        expect(box.width / box.height).toBeCloseTo(16 / 9, 2);
        expect(box.x + box.width / 2).toBeCloseTo(size.viewport.width / 2, 0);
        expect(box.width).toBeLessThanOrEqual(size.viewport.width + 0.5);
        expect(box.height).toBeLessThanOrEqual(size.viewport.height + 0.5);

        await page.screenshot({ path: `test-results/wall-${screen}-${size.label}.png` });
        expect(await findOverflows(page)).toEqual([]);

        // Canvases hold device pixels: CSS size × scale × DPR.
        const ratios = await page.$$eval('canvas', (canvases) => canvases.map((c) => c.width / (c.getBoundingClientRect().width || 1)));
        for (const ratio of ratios) expect(ratio).toBeGreaterThanOrEqual(size.deviceScaleFactor * Math.min(1, box.width / 1920) - 0.05);
        if (screen === 'hotline') expect(ratios.length).toBeGreaterThanOrEqual(3);

        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  // The bureau's name before the product's makes a title twice as long: its font gives way, never the clock or the connection.
  for (const size of [SIZES[0], SIZES[3]]) {
    it(`a long title (bureau name + product) leaves both sides of the title bar whole at ${size.label}`, async () => {
      const page = await browser.newPage({ viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });
      const title = encodeURIComponent('长沙市芙蓉区行政审批服务局政务服务效能监测');
      await page.goto(`${app.baseUrl}/wall?token=${token}&screens=hotline&kiosk=1&title=${title}`);
      await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state'), { timeout: 15_000 }).toBe('live');
      await page.waitForTimeout(1000);
      await page.screenshot({ path: `test-results/wall-long-title-${size.label}.png` });
      expect(await findOverflows(page)).toEqual([]);
      // The right side overflows leftwards (flex-end), under the title: its first item must start after the title ends.
      const [titleBox, dotBox, dateBox] = await Promise.all([
        page.locator('[data-testid=wall-title]').boundingBox(),
        page.locator('[data-testid=connection-state]').boundingBox(),
        page.locator('[data-testid=date]').boundingBox(),
      ]);
      expect(titleBox!.x + titleBox!.width).toBeLessThanOrEqual(dotBox!.x);
      expect(dateBox!.x + dateBox!.width).toBeLessThanOrEqual(titleBox!.x);
      await page.close();
    });
  }
});
