import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { generateYear } from '../../scripts/simulator/year.ts';
import type { ProjectionResponse } from '../../shared/projection-types.ts';
import { localDayHour } from '../../shared/time.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

/** The overview card's 预计全年 (ANALYTICS.md): this year's ratings so far, projected to 31 December. */

let app: TestApp;
let browser: Browser;
let admin: string;
const today = localDayHour(Date.now(), 'Asia/Shanghai').day;
const YEAR = Number(today.slice(0, 4));

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  admin = await app.login();
  const ratings = generateYear({ year: YEAR, seed: 12, scale: 0.05 }).feeds.evaluations.filter((r) => String(r.at).slice(0, 10) < today);
  await app.ingest('evaluations', ratings);
  await app.waitIdle(admin);
  const res = await fetch(`${app.baseUrl}/api/admin/targets/${YEAR}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ 'evaluations.count': { target: 10, direction: '>=' } }),
  });
  expect(res.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the overview card’s 预计全年', () => {
  it('shows the year-end projection, its 80 % interval and 可完成 against a target the interval clears', async () => {
    const projection = (await (await app.get(`/api/kpis/projection?year=${YEAR}`, admin)).json()) as ProjectionResponse;
    const { value, low, high } = projection.kpis['evaluations.count']!;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true }); // bypassCSP: axe is injected below
    page.setDefaultTimeout(8_000);
    await page.goto(`${app.baseUrl}/console`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    const card = page.locator('[data-kpi="evaluations.count"] [data-testid=kpi-projection]');
    await card.waitFor();
    const n = (x: number | null) => `${x!.toLocaleString('zh-CN')} 条`;
    expect(await card.locator('.label').textContent()).toBe('预计全年');
    expect(await card.locator('[data-testid=projection-value]').textContent()).toBe(n(value));
    expect(await card.locator('[data-testid=projection-interval]').textContent()).toBe(`80%区间 ${n(low)}–${n(high)}`);
    expect(await card.getAttribute('data-status')).toBe('on_track');
    expect(await card.locator('.el-tag').textContent()).toBe('可完成');
    // A KPI without data this year shows no projection.
    expect(await page.locator('[data-kpi="hotline.signed"] [data-testid=kpi-projection]').count()).toBe(0);
    // WCAG 2.1 A/AA (axe-core, as tests/browser/accessibility.test.ts runs it) on the projection lines themselves.
    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string }[] }> } }).axe;
      const result = await axe.run(
        { include: [['[data-testid=kpi-projection]']] },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
      );
      return result.violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await page.screenshot({ path: 'test-results/console-projection.png' });
  });
});
