import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

let app: TestApp;
let browser: Browser;
let admin: string;
const MARCH = 'from=2022-03-01&to=2022-03-31';
const displayToken = 'display-token-of-the-lobby-screen-0123';

/** A ticket signed on 4 March 2022, completed the next day unless `open`, visited with `satisfaction`. */
function ticket(id: string, category: string, street: string, department: string, satisfaction = '满意', resolved = true) {
  return [
    {
      ticketId: id,
      type: 'signed',
      at: '2022-03-04T09:00:00+08:00',
      urgency: '普通',
      category,
      street,
      department,
      callerPhone: '13800138000',
    },
    { ticketId: id, type: 'completed', at: '2022-03-05T09:00:00+08:00' },
    { ticketId: id, type: 'visited', at: '2022-03-06T09:00:00+08:00', resolved, satisfaction },
  ];
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  admin = await app.login();
  await app.ingest('hotline', [
    ...ticket('C-1', '城市管理', '文艺路街道', '区城市管理和综合执法局'),
    ...ticket('C-2', '城市管理', '文艺路街道', '区住房和城乡建设局', '不满意', false),
    ...ticket('C-3', '城市管理', '朝阳街道', '区城市管理和综合执法局'),
    ...ticket('C-4', '市场监管', '文艺路街道', '区市场监督管理局'),
    // Signed but never completed: open, in the 四类督办 once its deadline has passed.
    { ticketId: 'C-5', type: 'signed', at: '2022-03-04T10:00:00+08:00', urgency: '普通', category: '市场监管', street: '朝阳街道' },
  ]);
  await app.waitIdle(admin);
  const hash = createHash('sha256').update(displayToken).digest('hex');
  await app.redis.hset(app.keys.displayTokens(), hash, JSON.stringify({ name: 'lobby', createdAt: new Date().toISOString() }));
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const figure = (page: Page, kpiId: string) => page.locator(`[data-kpi="${kpiId}"] [data-testid="kpi-value"]`).first();

/** The browser asks for English (as a bureau PC's browser often does); the console is in Chinese unless switched. */
async function signedIn(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  page.setDefaultTimeout(8_000);
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

describe('console', () => {
  it('logs in, returns to the shared view, and shows the period’s figures with their comparisons', async () => {
    const page = await signedIn(`/console?${MARCH}`);
    expect(page.url()).toContain(MARCH);
    await expect.poll(() => figure(page, 'hotline.signed').textContent()).toBe('5 条');
    await expect.poll(() => figure(page, 'hotline.completionRate').textContent()).toBe('80%');
    await expect.poll(() => figure(page, 'hotline.satisfactionRate').textContent()).toBe('75%');
    // February had nothing: no base for 环比 of a count, and a rate's change has no earlier rate either.
    await expect.poll(() => page.locator('[data-kpi="hotline.signed"] [data-testid=kpi-mom]').textContent()).toBe('—'); // comparisons come after the figures
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(0); // the sparklines, after the figures
    expect(await page.locator('[data-testid=period-filter] input').first().inputValue()).toBe('2022年3月1日');
    await page.screenshot({ path: 'test-results/console-overview.png', fullPage: true });

    // The filter: another period (this year) is kept in the URL and changes the figures.
    await page.click('[data-testid=period-year]');
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toMatch(/^\d{4}-01-01$/);
    await expect.poll(() => figure(page, 'hotline.signed').textContent()).toBe('0 条');
    await page.close();
  });

  it('drills down category → street → department, each level in the URL', async () => {
    const page = await signedIn(`/console/feeds/hotline?${MARCH}`);
    const table = page.locator('[data-testid=breakdown-table]');
    await expect.poll(() => table.locator('[data-group]').allTextContents()).toEqual(['城市管理', '市场监管']);
    await table.locator('[data-group="城市管理"]').click();
    await expect.poll(() => table.locator('[data-group]').allTextContents()).toEqual(['文艺路街道', '朝阳街道']);
    expect(new URL(page.url()).searchParams.getAll('drill')).toEqual(['城市管理']);
    // Keyboard: the next level opens with Enter on the focused row button.
    await table.locator('[data-group="文艺路街道"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => table.locator('[data-group]').allTextContents()).toEqual(['区城市管理和综合执法局', '区住房和城乡建设局']);
    const row = table.locator('tr', { has: page.locator('[data-group="区住房和城乡建设局"]') });
    expect(await row.locator('[data-kpi-cell="hotline.satisfactionRate"]').textContent()).toBe('0%');
    expect(await page.textContent('[data-testid=drill-path]')).toContain('文艺路街道');
    await page.screenshot({ path: 'test-results/console-drill.png', fullPage: true });

    // The URL is the view: opened afresh, it shows the same level.
    const again = await signedIn(
      `/console/feeds/hotline?${MARCH}&drill=${encodeURIComponent('城市管理')}&drill=${encodeURIComponent('文艺路街道')}`,
    );
    await expect
      .poll(() => again.locator('[data-testid=breakdown-table] [data-group]').allTextContents())
      .toEqual(['区城市管理和综合执法局', '区住房和城乡建设局']);
    await again.close();

    await page.locator('[data-testid=drill-path] a').first().click();
    await expect.poll(() => table.locator('[data-group]').allTextContents()).toEqual(['城市管理', '市场监管']);
    await page.close();
  });

  it('imports a file with an unknown column mapped, shows the progress to the end, and lists the rejected rows', async () => {
    const page = await signedIn('/console/imports');
    const csv = [
      '工单编号,环节,发生时间,所属街道',
      'I-1,签收,2022-03-08 09:00,文艺路街道',
      'I-2,签收,2022-03-08 10:00,朝阳街道',
      'I-3,签收,2022-13-40 10:00,朝阳街道',
      ',签收,2022-03-08 11:00,朝阳街道',
    ].join('\n');
    await page.setInputFiles('[data-testid=import-drop] input[type=file]', {
      name: 'tickets.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.waitForSelector('[data-testid=unknown-columns]');
    expect(await page.textContent('[data-testid=unknown-columns]')).toContain('发生时间');
    await page.click('[data-testid="map-发生时间"]');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '时间 / at' }).first().click();
    await page.click('[data-testid=import-start]');
    await expect.poll(() => page.getAttribute('[data-testid=import-progress]', 'data-phase'), { timeout: 20_000 }).toBe('done');
    expect(await page.textContent('[data-testid=import-progress]')).toContain('100%');
    await expect.poll(() => page.textContent('[data-testid=import-counts]')).toContain('接收 2');
    const rejected = page.locator('[data-testid=rejected-rows] tbody tr');
    await expect.poll(() => rejected.count()).toBe(2);
    // The reasons in the console's language (Chinese), not the browser's (English), with the field's Chinese name first.
    expect(await rejected.first().textContent()).toMatch(/^4时间（at）：“2022-13-40 10:00”不是有效的 ISO 8601 日期时间$/);
    const download = page.waitForEvent('download');
    await page.click('[data-testid=download-rejected]');
    expect((await download).suggestedFilename()).toBe('tickets-rejected.csv');
    await page.close();
  });

  it('an administrator’s target for the year changes what the overview shows', async () => {
    const page = await signedIn(`/console?${MARCH}`);
    const card = page.locator('[data-kpi="hotline.completionRate"]').first();
    await expect.poll(() => card.getAttribute('data-status')).toBe('no_target');
    await page.click('[data-testid=nav-admin]');
    await page.click('#tab-targets');
    const year = page.locator('[data-testid=targets-year] input');
    await year.fill('2022');
    await year.press('Enter');
    const input = page.locator('[data-target-for="hotline.completionRate"] input');
    await input.fill('90');
    await input.press('Tab');
    await page.click('[data-testid=targets-save]');
    await page.waitForSelector('.el-message--success');
    await page.goto(`${app.baseUrl}/console?${MARCH}`);
    await expect.poll(() => card.getAttribute('data-status')).toBe('not_met');
    expect(await card.locator('[data-testid=kpi-target]').textContent()).toContain('90%');
    await page.close();
  });

  it('an administrator enters the year’s budget execution: 执行率 as typed, bad sums named before saving, saved for the export', async () => {
    const page = await signedIn('/console/admin/budget');
    const year = page.locator('[data-testid=budget-year] input');
    await year.fill('2022');
    await year.press('Enter');
    await page.waitForSelector('[data-testid=budget-not-entered]');
    const seed = { approved: '2970.96', available: '2677.20', spent: '2677.20', basic: '2049.72', project: '627.47' };
    for (const [field, value] of Object.entries(seed)) {
      const input = page.locator(`[data-budget-field="${field}"] input`);
      await input.fill(value);
      await input.press('Tab');
    }
    expect(await page.locator('[data-testid=budget-rate]').textContent()).toBe('90.11%');
    expect(await page.locator('[data-testid=budget-problems]').textContent()).toContain('基本支出');
    expect(await page.locator('[data-testid=budget-save]').isDisabled()).toBe(true);
    const project = page.locator('[data-budget-field="project"] input');
    await project.fill('627.48');
    await project.press('Tab');
    await page.locator('input[data-testid=budget-department]').fill('长沙市芙蓉区行政审批服务局');
    await page.click('[data-testid=budget-save]');
    await page.waitForSelector('.el-message--success');
    const saved = (await (await app.get('/api/admin/budget/2022', admin)).json()) as Record<string, unknown>;
    expect(saved).toMatchObject({
      approved: 2970.96,
      spent: 2677.2,
      project: 627.48,
      executionRatePct: 90.11,
      department: '长沙市芙蓉区行政审批服务局',
    });
    await page.close();
  });

  it('a display token reaches no manager API and no personal data, in the page or by hand', async () => {
    const page = await browser.newPage();
    // The console takes no token from its URL: it asks for a login.
    await page.goto(`${app.baseUrl}/console/supervised?${MARCH}&token=${displayToken}`);
    await page.waitForSelector('input[name=password]');
    const text = (await page.textContent('body')) ?? '';
    expect(text).not.toMatch(/C-5|13800138000|138\*{4}8000/);
    const statuses = await page.evaluate(async (token) => {
      const get = async (path: string, init: RequestInit = {}) =>
        (await fetch(path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })).status;
      return {
        supervised: await get('/api/console/supervised?kind=overdue&from=2022-03-01&to=2022-03-31'),
        users: await get('/api/admin/users'),
        health: await get('/api/feeds/health'),
        status: await get('/api/ingest/status'),
        failed: await get('/api/console/failed-jobs'),
        xlsx: await get('/api/console/xlsx', {
          method: 'POST',
          body: JSON.stringify({ fileName: 'x', sheet: 'x', columns: ['a'], rows: [] }),
        }),
        imports: await get('/api/imports/some-id'),
        targets: await get('/api/admin/targets/2022', { method: 'PUT', body: '{}' }),
        kpis: await get('/api/kpis?from=2022-03-01&to=2022-03-31&groupBy=street'),
      };
    }, displayToken);
    expect(statuses).toEqual({
      supervised: 403,
      users: 403,
      health: 403,
      status: 403,
      failed: 403,
      xlsx: 403,
      imports: 403,
      targets: 403,
      kpis: 200,
    });
    const kpis = await page.evaluate(
      async (token) =>
        (await fetch('/api/kpis?from=2022-03-01&to=2022-03-31&groupBy=street', { headers: { authorization: `Bearer ${token}` } })).text(),
      displayToken,
    );
    expect(kpis).not.toMatch(/13800138000|C-[0-9]/);
    await page.close();

    // A manager sees the console but not its administration.
    await fetch(`${app.baseUrl}/api/admin/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wangwu', password: 'plum-garden-gate-1', role: 'manager' }),
    });
    const manager = await browser.newPage();
    await manager.goto(`${app.baseUrl}/console/admin/users`);
    await manager.fill('input[name=username]', 'wangwu');
    await manager.fill('input[name=password]', 'plum-garden-gate-1');
    await manager.click('button[type=submit]');
    await manager.waitForSelector('[data-testid=overview]');
    expect(await manager.locator('[data-testid=nav-admin]').count()).toBe(0);
    await manager.close();
  });

  it('takes no manager token from its URL: the console asks for a login, and the wall still takes its token', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(`${app.baseUrl}/console?${MARCH}&token=${admin}`);
    await page.waitForSelector('input[name=password]');
    expect(await page.locator('[data-testid=console]').count()).toBe(0);
    await page.goto(`${app.baseUrl}/wall?token=${encodeURIComponent(displayToken)}&screens=hotline&kiosk=1`);
    await page.waitForSelector('[data-kpi="hotline.signed"]');
    await page.close();
  });

  it('shows a Chinese user the server’s messages in Chinese, and an English one in English, whatever the browser asks', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    page.setDefaultTimeout(8_000);
    await page.goto(`${app.baseUrl}/console`);
    const wrongLogin = async () => {
      await page.fill('input[name=username]', 'admin');
      await page.fill('input[name=password]', 'not-the-password');
      await page.click('button[type=submit]');
      return page.locator('[data-testid=login-error]');
    };
    await expect.poll(async () => (await wrongLogin()).textContent()).toBe('登录失败：用户名或密码错误');
    await page.click('[data-testid=locale-toggle]');
    await expect.poll(async () => (await wrongLogin()).textContent()).toMatch(/: wrong username or password$/);
    await page.close();
  });

  it('takes the bureau’s name from the administration into the console’s and the wall’s titles', async () => {
    const page = await signedIn('/console/admin/bureau');
    await page.fill('input[data-testid=bureau-name]', '长沙市芙蓉区行政审批服务局');
    await page.click('[data-testid=bureau-save]');
    await expect.poll(() => page.textContent('[data-testid=console-brand]')).toBe('长沙市芙蓉区行政审批服务局政务服务效能看板');
    expect(await (await app.get('/api/bureau', admin)).json()).toEqual({ name: '长沙市芙蓉区行政审批服务局' });
    await page.goto(`${app.baseUrl}/wall?token=${encodeURIComponent(displayToken)}&screens=hotline&kiosk=1`);
    await expect.poll(() => page.textContent('[data-testid=wall-title]')).toBe('长沙市芙蓉区行政审批服务局政务服务效能监测');
    await page.close();
  });

  it('signs out through the server: the session’s token is refused afterwards', async () => {
    const page = await signedIn('/console');
    const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('pulse.session')!) as { token: string }).token);
    expect((await app.get('/api/ingest/status', token)).status).toBe(200);
    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('input[name=password]');
    expect((await app.get('/api/ingest/status', token)).status).toBe(401);
    await page.close();
  });
});
