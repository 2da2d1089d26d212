import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

/** The closed year in the console: the 封账 tab (close, adjustments, reopen, each confirmed) and the badge on the overview. */

let app: TestApp;
let browser: Browser;
let admin: string;
const MARCH = 'from=2022-03-01&to=2022-03-31';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA violations on the page, one line each (tests/browser/accessibility.test.ts holds the bar at zero). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}`));
}

const signed = (ticketId: string, day: string) => ({
  ticketId,
  type: 'signed',
  at: `2022-03-${day}T09:00:00+08:00`,
  urgency: '普通',
  category: '城市管理',
  street: '文艺路街道',
});

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  admin = await app.login();
  await app.ingest('hotline', [signed('B-1', '04'), signed('B-2', '05')]);
  await app.waitIdle(admin);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedIn(path: string): Promise<Page> {
  // The server's CSP refuses an injected script: these pages bypass it to run axe.
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${app.baseUrl}${path}`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=console]');
  return page;
}

/** Clicks the row's button, then the confirmation's primary button. */
async function confirmAct(page: Page, year: number): Promise<void> {
  await page.click(`[data-close-year="${year}"]`);
  await page.locator('.el-popconfirm:visible .el-button--primary').click();
}

const state = (page: Page, year: number) => page.locator(`[data-year-state="${year}"]`).textContent();
const signedFigure = (page: Page) => page.locator('[data-kpi="hotline.signed"] [data-testid="kpi-value"]').first().textContent();

describe('closed year (封账) in the console', () => {
  it('closes a year with a confirmation, marks its figures with the late records, shows the adjustments and reopens it', async () => {
    const tab = await signedIn('/console/admin/closedYears');
    await expect.poll(() => state(tab, 2022)).toBe('未封账');
    await confirmAct(tab, 2022);
    // Closing writes the year's export in four formats (charts drawn): seconds on a loaded machine.
    await expect.poll(() => state(tab, 2022), { timeout: 60_000 }).toBe('已封账');

    await app.ingest('hotline', [signed('B-3', '06')]); // a late record for the closed year
    await app.waitIdle(admin);

    const overview = await signedIn(`/console?${MARCH}`);
    await expect.poll(() => overview.locator('[data-testid=closed-year-badge]').textContent()).toBe('已封账 · 其后补录 1 条');
    expect(await signedFigure(overview)).toBe('2 条'); // the published figure, not 3
    await overview.screenshot({ path: 'test-results/closed-year-badge.png' });
    expect(await axeViolations(overview)).toEqual([]);

    await tab.reload();
    await expect.poll(() => tab.locator('[data-testid=closed-year-adjustments]').textContent()).toContain('签收工单');
    const adjustment = tab.locator('[data-testid=closed-year-adjustments] tr', { hasText: '签收工单' });
    await expect.poll(() => adjustment.locator('td').nth(1).textContent()).toBe('2');
    expect(await adjustment.locator('td').nth(2).textContent()).toBe('3');
    await tab.screenshot({ path: 'test-results/closed-year-tab.png', fullPage: true });
    expect(await axeViolations(tab)).toEqual([]);

    await confirmAct(tab, 2022);
    await expect.poll(() => state(tab, 2022), { timeout: 20_000 }).toBe('未封账');
    await overview.reload();
    await expect.poll(() => signedFigure(overview)).toBe('3 条');
    expect(await overview.locator('[data-testid=closed-year-badge]').count()).toBe(0);
  }, 150_000);

  it('speaks English when switched', async () => {
    expect(
      (await fetch(`${app.baseUrl}/api/admin/years/2022/close`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })).status,
    ).toBe(200);
    const page = await signedIn(`/console?${MARCH}`);
    await page.evaluate(() => localStorage.setItem('pulse.locale', 'en'));
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=closed-year-badge]').textContent()).toBe('Closed · 0 later records');
  }, 60_000);
});
