import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { createDisplayToken } from './wall-records.ts';

let app: TestApp;
let browser: Browser;
let wallToken: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  wallToken = (await createDisplayToken(app, await app.login(), 'resilience wall')).token;
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const POLL = { timeout: 15_000 };
const figure = (page: Page, kpiId: string) => page.getAttribute(`[data-kpi="${kpiId}"] [data-testid="kpi-value"]`, 'data-value');
const liveState = (page: Page) => page.getAttribute('[data-testid=connection-state]', 'data-state');
const currentScreen = (page: Page) => page.getAttribute('[data-testid=wall-screen]', 'data-current-screen');
const signed = (ticketId: string) => ({ ticketId, type: 'signed', at: new Date().toISOString(), street: '火星街道' });

async function openWall(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${app.baseUrl}/wall?token=${encodeURIComponent(wallToken)}&${query}`);
  return { page, errors };
}

describe('wall, unattended', () => {
  it('marks itself stale when the server stops, and shows the right figures within seconds of its return', async () => {
    const { page, errors } = await openWall('screens=hotline&kiosk=1');
    await expect.poll(() => liveState(page), POLL).toBe('live');
    await app.ingest('hotline', [signed('R-1'), signed('R-2')]);
    await expect.poll(() => figure(page, 'hotline.signed'), POLL).toBe('2');

    await app.stopServer();
    await expect.poll(() => page.isVisible('[data-testid=stale-banner]'), { timeout: 20_000 }).toBe(true);
    expect(await liveState(page)).toBe('stale');
    // The old figures stay on the screen, marked as old, not zeroed.
    expect(await figure(page, 'hotline.signed')).toBe('2');
    expect(await page.textContent('[data-testid=stale-banner]')).toMatch(/最后数据 \d{2}:\d{2}:\d{2}/);

    await app.restartServer();
    await app.ingest('hotline', [signed('R-3')]);
    // Reconnect (socket.io backs off up to 10 s), fresh snapshot, right figure.
    await expect.poll(() => figure(page, 'hotline.signed'), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => liveState(page), POLL).toBe('live');
    expect(await page.isVisible('[data-testid=stale-banner]')).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('rotates through the playlist, and the kiosk shows no chrome', async () => {
    const { page, errors } = await openWall('screens=hotline,services&rotateSeconds=2&kiosk=1');
    await expect.poll(() => currentScreen(page), POLL).toBe('hotline');
    await expect.poll(() => currentScreen(page), POLL).toBe('services');
    await expect.poll(() => currentScreen(page), POLL).toBe('hotline');
    expect(await page.textContent('[data-testid=screen-indicator] .current')).toBe('12345热线');

    expect(await page.locator('[data-testid=locale-toggle]').count()).toBe(0);
    const chrome = await page.evaluate(() => ({
      cursor: getComputedStyle(document.querySelector('[data-testid=wall]')!).cursor,
      overflow: getComputedStyle(document.documentElement).overflow,
      scrollable: document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth,
    }));
    expect(chrome).toEqual({ cursor: 'none', overflow: 'hidden', scrollable: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without kiosk the language toggle is there and the cursor too', async () => {
    const { page } = await openWall('screens=services');
    await expect.poll(() => currentScreen(page), POLL).toBe('services');
    expect(await page.locator('[data-testid=locale-toggle]').count()).toBe(1);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=wall]')!).cursor)).not.toBe('none');
    await page.close();
  });

  it('skips a screen that fails to render and keeps rotating through the others', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A browser without ResizeObserver: every chart fails as it mounts — the hotline screen breaks, the
    // services screen (CSS bars only) does not.
    await page.addInitScript(() => {
      (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
        constructor() {
          throw new Error('ResizeObserver unavailable');
        }
      };
    });
    await page.goto(`${app.baseUrl}/wall?token=${encodeURIComponent(wallToken)}&screens=hotline,services&rotateSeconds=2`);
    await expect.poll(() => currentScreen(page), POLL).toBe('services');
    // Two more rotation periods: the broken screen stays out, the wall stays up and live.
    await page.waitForTimeout(4_500);
    expect(await currentScreen(page)).toBe('services');
    expect(await page.locator('[data-screen=services]').count()).toBe(1);
    expect(await liveState(page)).toBe('live');
    expect(errors).toEqual([]);
    await page.close();
  });
});
