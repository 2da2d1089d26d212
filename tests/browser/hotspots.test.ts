import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Hotspot, HotspotsResponse } from '../../shared/analytics/hotspots.ts';
import { addDays, dayStartUtc, localDayHour } from '../../shared/time.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { createDisplayToken } from './wall-records.ts';

/**
 * 未诉先办 on the wall and in the console: twelve weeks of ordinary tickets, then a surge of twelve 城市管理
 * tickets in 文艺路街道 sent through the ingest API while the wall is open; the workers' detector raises it, the
 * wall's 热点预警 panel shows it, and the console's 热点研判 page lists it with its tickets and trend and takes it
 * through 研判 (acknowledge → assign → close with a note), each step in the audit log.
 */

let app: TestApp;
let browser: Browser;
let admin: string;
let display: string;
/** The hotspot the detector raised from the surge (found once the wall shows it). */
let raised: Hotspot;

const HOUR_MS = 3_600_000;
const CATEGORY = '城市管理';
const STREET = '文艺路街道';
const DEPARTMENT = '区城市管理和综合执法局';
const TZ = 'Asia/Shanghai';
const OTHER_CATEGORIES = ['市场监管', '物业管理'];
const OTHER_STREETS = ['朝阳街道', '火星街道'];
const now = Date.now();
const today = localDayHour(now, TZ).day;
/** The surge: twelve tickets of one category in one street within the last two hours. */
const SURGE = Array.from({ length: 12 }, (_, i) => ({
  id: `HS-${String(i + 1).padStart(2, '0')}`,
  at: now - 2 * HOUR_MS + i * 10 * 60_000,
}));
const SURGE_IDS = SURGE.map((t) => t.id);

function signed(ticketId: string, atMs: number, category = CATEGORY, street = STREET) {
  return { ticketId, type: 'signed', at: new Date(atMs).toISOString(), urgency: '普通', category, street, department: DEPARTMENT };
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  admin = await app.login();
  display = (await createDisplayToken(app, admin)).token;
  mkdirSync('test-results', { recursive: true });
  // Twelve weeks of ordinary history before the detector's three-day gap: each (category, street) about once a week.
  const history = [];
  for (let d = 3; d < 87; d++) {
    const pair = d % 9;
    const category = [CATEGORY, ...OTHER_CATEGORIES][pair % 3]!;
    const street = [STREET, ...OTHER_STREETS][Math.floor(pair / 3)]!;
    history.push(signed(`HH-${d}`, dayStartUtc(addDays(today, -d), TZ) + 10 * HOUR_MS, category, street));
  }
  await app.ingest('hotline', history);
  await app.waitIdle(admin);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const hotspotsOf = async (token: string, from = addDays(today, -2)): Promise<Hotspot[]> =>
  ((await (await app.get(`/api/hotline/hotspots?from=${from}&to=${today}`, token)).json()) as HotspotsResponse).hotspots;
const isTheSurge = (h: Hotspot) => h.category === CATEGORY && h.street === STREET;

async function openWall(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${app.baseUrl}/wall?screens=hotline&token=${display}`);
  await page.waitForSelector('[data-testid=connection-state][data-state=live]');
  return { page, errors };
}

async function signedIn(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
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

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

describe('热点预警 on the wall', () => {
  it('says 暂无热点预警 in one line, then shows a hotspot as it is raised: level word and shape, place, count against expectation', async () => {
    const { page, errors } = await openWall();
    await expect.poll(() => text(page, '[data-testid=hotspots-none]')).toBe('暂无热点预警');
    const emptyHeight = (await page.locator('[data-testid=hotspots]').boundingBox())!.height;
    // Only the title line: far less than a panel with a list (the canvas is 1080 tall).
    expect(emptyHeight).toBeLessThan(90);

    await app.ingest('hotline', [...SURGE.map((t) => signed(t.id, t.at)), signed('OTHER-1', now - HOUR_MS, '市场监管', '朝阳街道')]);
    await expect.poll(async () => (await hotspotsOf(display)).filter(isTheSurge).length, { timeout: 20_000 }).toBe(1);
    raised = (await hotspotsOf(display)).find(isTheSurge)!;
    expect(raised).toMatchObject({ observed: 12, end: null });
    const item = page.locator(`[data-testid=hotspot][data-hotspot="${raised.id}"]`);
    await expect.poll(() => item.count()).toBe(1);
    const look = { 黄: ['yellow', 'triangle', '黄色'], 橙: ['orange', 'diamond', '橙色'], 红: ['red', 'octagon', '红色'] }[raised.level];
    expect(await item.getAttribute('data-level')).toBe(look[0]);
    expect(await item.locator('[data-testid=hotspot-level]').getAttribute('data-shape')).toBe(look[1]);
    expect((await item.locator('[data-testid=hotspot-level]').textContent())?.trim()).toBe(look[2]);
    expect(await item.locator('[data-testid=hotspot-place]').textContent()).toBe('城市管理 · 文艺路街道');
    const expected = raised.expected < 10 ? raised.expected.toFixed(1) : String(Math.round(raised.expected));
    expect((await item.locator('[data-testid=hotspot-counts]').textContent())?.trim()).toBe(`12 条 / 预期 ${expected}`);
    expect(await item.locator('[data-testid=hotspot-since]').textContent()).toMatch(/^(\d\d-\d\d )?\d\d:\d\d 起$/);
    expect(await page.locator('[data-testid=hotspots-none]').count()).toBe(0);

    // It fits: nothing in the panel overflows, and the panel stays inside the screen.
    const overflows = await page.evaluate(() => {
      const panel = document.querySelector<HTMLElement>('[data-testid=hotspots]')!;
      const screen = document.querySelector<HTMLElement>('[data-testid=wall-screen]')!.getBoundingClientRect();
      const box = panel.getBoundingClientRect();
      const out = [...panel.querySelectorAll<HTMLElement>('*'), panel]
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        .map((el) => `${el.className}: ${el.scrollWidth}×${el.scrollHeight} > ${el.clientWidth}×${el.clientHeight}`);
      if (box.bottom > screen.bottom || box.right > screen.right) out.push('panel outside the screen');
      return out;
    });
    expect(overflows).toEqual([]);
    await page.screenshot({ path: 'test-results/wall-hotspot.png' });

    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('热点研判 in the console', () => {
  it(
    'lists the hotspot with its tickets and trend; acknowledge → assign → close with a note, each audited',
    { timeout: 60_000 },
    async () => {
      const page = await signedIn(`/console?from=${today}&to=${today}`);
      await page.click('[data-testid=nav-hotspots]');
      await page.waitForURL(/\/console\/hotspots/);
      expect(page.url()).toContain(`from=${today}`);
      const row = page.locator(`[data-testid=hotspot-row][data-hotspot="${raised.id}"]`);
      await expect.poll(() => row.textContent()).toContain('城市管理 · 文艺路街道');
      const all = await hotspotsOf(admin, today);
      const active = all.filter((h) => h.end === null).length;
      await expect.poll(() => text(page, '[data-testid=hotspots-total]')).toBe(`共 ${all.length} 个，进行中 ${active} 个`);
      await row.click();
      // Every column has its cell (a score the JSON could not carry as a number once took its cell away).
      expect(await page.locator('[data-testid=hotspots-table] .el-table__body tr:first-child td').count()).toBe(7);

      const detail = page.locator(`[data-testid=hotspot-detail][data-hotspot="${raised.id}"]`);
      await expect.poll(() => detail.locator('[data-testid=hotspot-ticket]').allTextContents()).toEqual([...raised.ticketIds]);
      expect([...raised.ticketIds].sort()).toEqual(SURGE_IDS);
      // The trend: today's surge tickets (all twelve unless the test began just after midnight) and the days before.
      const surgeToday = SURGE.filter((t) => localDayHour(t.at, TZ).day === today).length;
      const chart = detail.locator('[data-testid=hotspot-trend] [data-testid=console-chart]');
      const day = today.slice(5);
      await expect.poll(() => chart.getAttribute('aria-label')).toContain(`每日签收：`);
      const label = (await chart.getAttribute('aria-label')) ?? '';
      expect(label).toContain(`${day} ${surgeToday}`);
      expect(label).toMatch(new RegExp(`预期（热点窗口内）：.*${day} \\d`));

      await page.screenshot({ path: 'test-results/console-hotspots.png', fullPage: true });
      const state = detail.locator('[data-testid=hotspot-state]');
      expect(await state.textContent()).toBe('待研判');
      await detail.locator('[data-testid=hotspot-acknowledge]').click();
      await expect.poll(() => state.textContent()).toBe('已确认');
      expect(await detail.locator('[data-testid=hotspot-reviewed-by]').textContent()).toMatch(/^admin，\d{4}-\d\d-\d\d \d\d:\d\d$/);

      // Assigning without a department is refused before it is sent.
      await detail.locator('[data-testid=hotspot-assign]').click();
      await expect.poll(() => text(page, '[data-testid=hotspot-review-error]')).toBe('请选择承办单位');
      await detail.locator('[data-testid=hotspot-department-input]').click();
      await page.keyboard.type(DEPARTMENT);
      await page.keyboard.press('Enter');
      await detail.locator('[data-testid=hotspot-assign]').click();
      await expect.poll(() => state.textContent()).toBe('已交办');
      expect(await text(page, '[data-testid=hotspot-department]')).toContain(`交办：${DEPARTMENT}`);

      await detail
        .locator('textarea[data-testid=hotspot-note-input], [data-testid=hotspot-note-input] textarea')
        .fill('占道经营集中整治，已回访');
      await detail.locator('[data-testid=hotspot-close]').click();
      await expect.poll(() => state.textContent()).toBe('已办结');
      expect(await text(page, '[data-testid=hotspot-note]')).toBe('说明：占道经营集中整治，已回访');
      expect(await detail.locator('[data-testid=hotspot-close]').count()).toBe(0);
      expect(await text(page, '[data-testid=hotspot-row-state]')).toBe('已办结');

      const audit = (await (await app.get('/api/admin/audit?limit=50', admin)).json()) as {
        entries: { actor: string; action: string; target: string; details?: Record<string, unknown> }[];
      };
      const mine = audit.entries.filter((e) => e.target === raised.id).reverse();
      expect(mine.map((e) => [e.actor, e.action])).toEqual([
        ['admin', 'hotspot.acknowledge'],
        ['admin', 'hotspot.assign'],
        ['admin', 'hotspot.close'],
      ]);
      expect(mine[1]!.details).toMatchObject({ department: DEPARTMENT });
      expect(mine[2]!.details).toMatchObject({ note: '占道经营集中整治，已回访' });
      await page.close();
    },
  );

  it('refuses a review from a wall display token (403), which may still read the hotspots', async () => {
    const read = await app.get(`/api/hotline/hotspots?from=${today}&to=${today}`, display);
    expect(read.status).toBe(200);
    const res = await fetch(`${app.baseUrl}/api/hotline/hotspots/${raised.id}/review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${display}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'acknowledge' }),
    });
    expect(res.status).toBe(403);
  });
});
