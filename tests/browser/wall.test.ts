import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, type TestApp } from '../support/app.ts';
import { withAppAndBrowser } from '../support/app-browser.ts';
import { createDisplayToken, wallNow } from './wall-records.ts';

let app: TestApp;
let browser: Browser;
let admin: string;

withAppAndBrowser((started) => ({ app, browser, admin } = started));

const POLL = { timeout: 15_000 };
/** The final value of a figure (its reels may still be rolling). */
const figure = (page: Page, kpiId: string) => page.getAttribute(`[data-kpi="${kpiId}"] [data-testid="kpi-value"]`, 'data-value');
const alertOf = (page: Page, kpiId: string) => page.getAttribute(`[data-kpi="${kpiId}"]`, 'data-alert');
const liveState = (page: Page) => page.getAttribute('[data-testid=connection-state]', 'data-state');

async function openWall(query: string, viewport = { width: 1920, height: 1080 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${app.baseUrl}/wall?${query}`);
  return { page, errors };
}

describe('wall', () => {
  it('signs in at /wall without a token, then shows today’s figures and moves them when records arrive', async () => {
    const { page, errors } = await openWall('screens=hotline');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await expect.poll(() => liveState(page), POLL).toBe('live');
    await expect.poll(() => figure(page, 'hotline.signed'), POLL).toBe('0');
    await expect.poll(() => figure(page, 'hotline.resolutionRate')).toBe('—');
    expect(await page.textContent('[data-kpi="hotline.signed"] [data-testid="kpi-value"]')).toBe('0');

    const now = new Date().toISOString();
    await app.ingest('hotline', [
      { ticketId: 'B-1', type: 'signed', at: now, street: '文艺路街道', category: '城市管理' },
      { ticketId: 'B-2', type: 'signed', at: now, street: '朝阳街道', category: '城市管理' },
      { ticketId: 'B-3', type: 'signed', at: now, street: '文艺路街道', category: '市场监管' },
      { ticketId: 'B-1', type: 'completed', at: now },
      { ticketId: 'B-1', type: 'visited', at: now, resolved: true, satisfaction: 'satisfied' },
      { ticketId: 'B-2', type: 'completed', at: now },
      { ticketId: 'B-2', type: 'visited', at: now, resolved: false, satisfaction: 'dissatisfied' },
    ]);
    await expect.poll(() => figure(page, 'hotline.signed'), POLL).toBe('3');
    await expect.poll(() => figure(page, 'hotline.completed')).toBe('2');
    await expect.poll(() => figure(page, 'hotline.open')).toBe('1');
    await expect.poll(() => figure(page, 'hotline.resolutionRate')).toBe('50%');
    await expect.poll(() => figure(page, 'hotline.satisfactionRate')).toBe('50%');
    // Text as people (and screen readers) read it: exactly the figure.
    expect(await page.textContent('[data-kpi="hotline.signed"] [data-testid="kpi-value"]')).toBe('3');
    // Default thresholds: resolution at or under 70% is red; satisfaction at or under 90% is red.
    await expect.poll(() => alertOf(page, 'hotline.resolutionRate')).toBe('red');
    expect(await alertOf(page, 'hotline.signed')).toBe('normal');
    // Breakdowns: streets ranked by signed, categories; the 四类督办 counts.
    await expect.poll(() => page.getAttribute('[data-testid=streets] .rank-chart', 'data-items')).toBe('文艺路街道=2;朝阳街道=1');
    await expect.poll(() => page.getAttribute('[data-testid=categories] .rank-chart', 'data-items')).toBe('城市管理=2;市场监管=1');
    await expect
      .poll(() => page.getAttribute('[data-kpi="hotline.supervised"] [data-kind=unresolved] [data-testid=supervised-count]', 'data-value'))
      .toBe('1');
    // The ticker: what happened and where, in Chinese, never who.
    await expect.poll(() => page.textContent('[data-testid=ticker]'), POLL).toContain('签收');
    expect(await page.textContent('[data-testid=ticker]')).toContain('文艺路街道');
    // Each event with its time (the record's, in the report's zone).
    expect(await page.textContent('[data-testid=ticker]')).toMatch(/\d{2}:\d{2}:\d{2}\s*热线\s*签收/);
    expect(await page.textContent('[data-testid=freshness]')).toMatch(/数据更新于 \d{2}:\d{2}:\d{2}/);
    await expect.poll(() => page.locator('canvas').count(), POLL).toBeGreaterThanOrEqual(3); // charts draw once their element is sized
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens from a display token in the URL with no login, and revoking the token takes the screen to the login page', async () => {
    const { id, token } = await createDisplayToken(app, admin, 'wall test');
    const { page, errors } = await openWall(`token=${encodeURIComponent(token)}&screens=hotline&kiosk=1`);
    await expect.poll(() => liveState(page), POLL).toBe('live');
    await expect.poll(() => figure(page, 'hotline.signed'), POLL).toBe('3');
    expect(page.url()).toContain('/wall');

    const seen = await page.evaluate(() => document.querySelectorAll('input[name=password]').length);
    expect(seen).toBe(0);
    const revoked = await fetch(`${app.baseUrl}/api/admin/display-tokens/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoked.status).toBe(204);
    await expect.poll(() => page.locator('input[name=password]').count(), POLL).toBe(1);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the services screen: hall, 一网通办 against last year, 跨域通办, 好差评; a silent feed is marked, never a zero', async () => {
    const { page, errors } = await openWall(`token=${admin}&screens=services`);
    await expect.poll(() => liveState(page), POLL).toBe('live');
    // Nothing has come from the hall feed yet: its panel says so rather than showing 0.
    await expect.poll(() => page.getAttribute('[data-testid=hall-panel]', 'data-silent'), POLL).toBe('true');
    expect(await page.textContent('[data-testid=hall-panel] [data-testid=feed-silent]')).toContain('暂无数据');

    const now = wallNow();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now));
    await app.ingest('hall', [
      { queueId: 'A1', type: 'taken', at: at(30), hall: '区政务服务大厅' },
      { queueId: 'A1', type: 'called', at: at(20), hall: '区政务服务大厅' },
      { queueId: 'A1', type: 'served', at: at(10), hall: '区政务服务大厅' },
      { queueId: 'A2', type: 'taken', at: at(5), hall: '区政务服务大厅' },
      { queueId: 'B1', type: 'taken', at: at(4), hall: '马王堆24小时政务服务驿站' },
    ]);
    await app.ingest('online', [
      { date: day, itemCode: 'X1', channel: 'pc', count: 40 },
      { date: day, itemCode: 'X1', channel: 'mobile', count: 60 },
    ]);
    await app.ingest('evaluations', [
      { id: 'E1', at: at(3), rating: 5, channel: 'window' },
      { id: 'E2', at: at(2), rating: 1, channel: 'pc' },
    ]);
    await expect.poll(() => page.getAttribute('[data-testid=hall-panel]', 'data-silent'), POLL).toBe('false');
    await expect.poll(() => figure(page, 'hall.waitingNow'), POLL).toBe('2');
    await expect.poll(() => figure(page, 'hall.servedMatters')).toBe('1');
    await expect.poll(() => figure(page, 'hall.avgWaitMinutes')).toBe('10.0');
    await expect.poll(() => page.textContent('[data-hall="马王堆24小时政务服务驿站"] [data-col=waiting]')).toBe('1');
    await expect.poll(() => figure(page, 'online.volume')).toBe('100');
    await expect.poll(() => page.getAttribute('[data-testid=online-panel] [data-key=mobile]', 'data-value')).toBe('60');
    await expect.poll(() => figure(page, 'evaluations.count')).toBe('2');
    await expect.poll(() => figure(page, 'evaluations.positiveRate')).toBe('50%');
    await expect.poll(() => alertOf(page, 'evaluations.negative')).toBe('yellow');
    // Cross-region sent nothing today: marked silent, its figures not pretended.
    expect(await page.getAttribute('[data-testid=cross-region-panel]', 'data-silent')).toBe('true');

    // The hall feed goes quiet for two hours (its last record applied then): the panel dims with the time.
    await app.redis.hset(app.keys.lastRecordAt(), 'hall', String(now - 2 * 3_600_000));
    await expect.poll(() => page.getAttribute('[data-testid=hall-panel]', 'data-silent'), POLL).toBe('true');
    expect(await page.textContent('[data-testid=hall-panel] [data-testid=feed-silent]')).toMatch(/最后数据 \d{2}:\d{2}/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('speaks English when switched, and the figures stay', async () => {
    const { page } = await openWall(`token=${admin}&screens=hotline`);
    await expect.poll(() => liveState(page), POLL).toBe('live');
    const before = await figure(page, 'hotline.signed');
    await page.click('[data-testid=locale-toggle]', { timeout: 5_000 });
    await expect.poll(() => page.textContent('[data-testid=freshness]')).toMatch(/Updated \d{2}:\d{2}:\d{2}/);
    expect(await page.textContent('[data-kpi="hotline.signed"] h3')).toBe('Signed');
    expect(await figure(page, 'hotline.signed')).toBe(before);
    await page.click('[data-testid=locale-toggle]');
    await page.close();
  });
});
