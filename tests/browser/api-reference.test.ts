import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

/** Issue 16 in the console: the API page (GET /api/openapi.json told readably) and the reference-data upload. */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({}, { worker: false }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedIn(path: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(8_000);
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.addInitScript((l) => localStorage.setItem('pulse.locale', l), locale);
  await page.goto(`${app.baseUrl}${path}`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=console]');
  return page;
}

describe('console: API page', () => {
  it('is linked from the navigation and shows the calls by tag, their parameters, and the feed record schemas', async () => {
    const page = await signedIn('/console');
    await page.click('[data-testid=nav-api]');
    await page.waitForSelector('[data-testid=api-docs] [data-tag=ingest]');
    expect(page.url()).toContain('/console/api');
    expect(await page.locator('[data-testid=api-docs] h1').textContent()).toBe('接口文档');
    expect(await page.locator('[data-tag=ingest] h2').textContent()).toContain('数据接入');
    // Every call of the document is on the page, under its tag.
    const doc = (await (await fetch(`${app.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, object> };
    const calls = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(await page.locator('[data-operation]').count()).toBe(calls);
    // A call opens to its parameters, body and answers.
    const ingest = page.locator('[data-operation="post /api/ingest/{feed}"]');
    await ingest.locator('summary').click();
    await expect
      .poll(() => ingest.locator('tbody').first().textContent())
      .toContain('∈ { hotline, online, hall, crossRegion, evaluations }');
    expect(await ingest.textContent()).toContain('→ FeedRecord.hotline');
    expect(await ingest.textContent()).toContain('202');
    // The hotline record: fields with their Chinese column names, required marks and allowed values.
    const hotline = page.locator('[data-schema="FeedRecord.hotline"]');
    const text = await hotline.textContent();
    expect(text).toContain('ticketId');
    expect(text).toContain('工单编号');
    expect(text).toContain('签收');
    expect(await page.locator('[data-testid=record-schemas] [data-schema]').count()).toBe(7);
    await page.screenshot({ path: 'test-results/console-api.png', fullPage: false });
    await page.close();
  });

  it('speaks English on request', async () => {
    const page = await signedIn('/console/api', 'en');
    await page.waitForSelector('[data-testid=api-docs] [data-tag=ingest]');
    expect(await page.locator('[data-testid=api-docs] h1').textContent()).toBe('API');
    expect(await page.locator('[data-testid=nav-api]').textContent()).toContain('API');
    await page.close();
  });
});

describe('console: reference data from a spreadsheet', () => {
  it('replaces the partner list from a CSV beside the row editor, and lists bad rows by number without replacing', async () => {
    const page = await signedIn('/console/admin/reference');
    const input = page.locator('[data-testid=partners-upload]');
    await input.setInputFiles({
      name: '合作地区.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('地区,范围,签约日期\n广东省深圳市南山区,跨省通办,2021-03-01\n湘潭市岳塘区,长株潭,2021-05-01\n'),
    });
    await expect.poll(() => page.locator('[data-testid=partners-outcome]').textContent()).toContain('已导入 2 行');
    await expect.poll(() => page.locator('.el-table__body input.el-input__inner').first().inputValue()).toBe('广东省深圳市南山区');

    await input.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('地区,范围,签约日期\n长沙市岳麓区,长株潭,2021-01-01\n,跨省通办,2021-01-02\n株洲市天元区,全国,2021-02-01\n'),
    });
    await expect.poll(() => page.locator('[data-testid=rejected-row]').count()).toBe(2);
    const rows = await page.locator('[data-testid=rejected-row]').allTextContents();
    expect(rows[0]).toContain('第 3 行');
    expect(rows[1]).toContain('第 4 行');
    const stored = (await (await app.get('/api/admin/reference/cross-region-partners', await app.login())).json()) as {
      items: { region: string }[];
    };
    expect(stored.items.map((p) => p.region)).toEqual(['广东省深圳市南山区', '湘潭市岳塘区']);
    await page.close();
  });
});
