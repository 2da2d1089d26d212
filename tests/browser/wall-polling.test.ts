import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { removeLateApisScript } from '../support/browser-floor.ts';
import { createDisplayToken } from './wall-records.ts';

/**
 * Wall PCs as bureaus have them: behind an office proxy that refuses WebSocket, and on browsers as old
 * as the floor (Chromium 87), emulated here by removing from today's Chromium the APIs 87 lacks.
 */

let app: TestApp;
let browser: Browser;
let wallToken: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  wallToken = (await createDisplayToken(app, await app.login(), 'polling wall')).token;
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const POLL = { timeout: 15_000 };
const figure = (page: Page, kpiId: string) => page.getAttribute(`[data-kpi="${kpiId}"] [data-testid="kpi-value"]`, 'data-value');
const liveState = (page: Page) => page.getAttribute('[data-testid=connection-state]', 'data-state');
const transport = (page: Page) => page.getAttribute('[data-testid=wall-screen]', 'data-transport');
const signed = (ticketId: string) => ({ ticketId, type: 'signed', at: new Date().toISOString(), street: '火星街道' });

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

describe('the wall behind a proxy that refuses WebSocket', () => {
  it('falls back to long-polling, shows live updates, and shows when the link is down', async () => {
    const { page, errors } = await newPage();
    const refused: string[] = [];
    // Every WebSocket the page opens is refused, as such a proxy does.
    await page.routeWebSocket(/.*/, (ws) => {
      refused.push(ws.url());
      void ws.close({ code: 1008, reason: 'WebSocket refused by the proxy' });
    });
    const polls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/socket.io/') && r.url().includes('transport=polling')) polls.push(r.url());
    });
    await page.goto(`${app.baseUrl}/wall?token=${encodeURIComponent(wallToken)}&screens=hotline&kiosk=1`);
    await expect.poll(() => liveState(page), POLL).toBe('live');
    expect(await transport(page)).toBe('polling');

    await app.ingest('hotline', [signed('P-1'), signed('P-2')]);
    await expect.poll(() => figure(page, 'hotline.signed'), POLL).toBe('2');
    expect(await liveState(page)).toBe('live');
    expect(await transport(page)).toBe('polling');
    // The upgrade was tried and refused; every live request went over HTTP, with the routing key.
    expect(refused.length).toBeGreaterThan(0);
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((url) => /[?&]sticky=[0-9a-f]{16}(&|$)/.test(url))).toBe(true);

    // The server goes away: the figures stay, marked as old, never as live.
    await app.stopServer();
    await expect.poll(() => page.isVisible('[data-testid=stale-banner]'), { timeout: 20_000 }).toBe(true);
    expect(await liveState(page)).toBe('stale');
    expect(await figure(page, 'hotline.signed')).toBe('2');

    await app.restartServer();
    await app.ingest('hotline', [signed('P-3')]);
    await expect.poll(() => figure(page, 'hotline.signed'), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => liveState(page), POLL).toBe('live');
    expect(await transport(page)).toBe('polling');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('upgrades to WebSocket where the network allows it', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${app.baseUrl}/wall?token=${encodeURIComponent(wallToken)}&screens=hotline&kiosk=1`);
    await expect.poll(() => liveState(page), POLL).toBe('live');
    await expect.poll(() => transport(page), POLL).toBe('websocket');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a browser at the floor (the APIs newer than Chromium 87 removed)', () => {
  it('signs in, shows the console overview and a live wall without a script error', async () => {
    const { page, errors } = await newPage();
    await page.addInitScript(removeLateApisScript());
    await page.goto(`${app.baseUrl}/login`);
    expect(await page.evaluate(() => typeof structuredClone)).toBe('undefined');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console/);
    // Removed before the page ran, defined again by client/src/polyfills.ts (Pinia calls it).
    expect(await page.evaluate(() => typeof Object.hasOwn)).toBe('function');
    await expect.poll(() => page.locator('[data-kpi] [data-testid="kpi-value"]').count(), POLL).toBeGreaterThan(0);

    await page.goto(`${app.baseUrl}/wall?token=${encodeURIComponent(wallToken)}&screens=hotline,services&kiosk=1`);
    await expect.poll(() => liveState(page), POLL).toBe('live');
    const before = Number(await figure(page, 'hotline.signed'));
    await app.ingest('hotline', [signed('F-1')]);
    await expect.poll(() => figure(page, 'hotline.signed'), POLL).toBe(String(before + 1));
    expect(errors).toEqual([]);
    await page.close();
  });
});
