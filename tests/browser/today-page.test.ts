import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const figure = (page: Page, kpiId: string) => page.locator(`[data-kpi="${kpiId}"] [data-testid="kpi-value"]`);

describe('today page', () => {
  it('logs in, shows today’s hotline figures, and moves them when a record is sent', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.baseUrl}/wall`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');

    await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state')).toBe('live');
    await expect.poll(() => figure(page, 'hotline.signed').textContent()).toBe('0');
    await expect.poll(() => figure(page, 'hotline.resolutionRate').textContent()).toBe('—');

    const now = new Date().toISOString();
    await app.ingest('hotline', [
      { ticketId: 'B-1', type: 'signed', at: now },
      { ticketId: 'B-2', type: 'signed', at: now },
      { ticketId: 'B-1', type: 'visited', at: now, resolved: true, satisfaction: '满意' },
      { ticketId: 'B-2', type: 'visited', at: now, resolved: false, satisfaction: '不满意' },
    ]);
    await expect.poll(() => figure(page, 'hotline.signed').textContent()).toBe('2');
    await expect.poll(() => figure(page, 'hotline.visited').textContent()).toBe('2');
    await expect.poll(() => figure(page, 'hotline.resolutionRate').textContent()).toBe('50%');
    await expect.poll(() => figure(page, 'hotline.satisfactionRate').textContent()).toBe('50%');
    expect(await page.textContent('[data-testid=freshness]')).toMatch(/数据更新于 \d{2}:\d{2}:\d{2}/);
    expect(await page.locator('canvas').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: 'test-results/today-page.png' });
    await page.close();
  });

  it('opens directly with a token in the URL, as a wall screen does, without a login', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const token = await app.login();
    await page.goto(`${app.baseUrl}/wall?token=${token}`);
    await expect.poll(() => figure(page, 'hotline.signed').textContent()).toBe('2');
    await page.close();
  });

  it('shows the stale state when the server goes away', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.baseUrl}/wall?token=${await app.login()}`);
    await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state')).toBe('live');
    await app.close();
    await expect.poll(() => page.isVisible('[data-testid=stale-banner]'), { timeout: 20_000 }).toBe(true);
    await page.close();
  });
});
