import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { createDisplayToken, sendToday } from './wall-records.ts';

/**
 * GB/T 37668 and the 适老化及无障碍 rules ask for WCAG 2 A/AA: axe-core's rules of those levels run on
 * the login, on every page of the console's router (as an administrator, with today's records of every
 * feed present) and on both wall screens. No rule is disabled. AXE_REPORT=<file> appends each page's
 * full result (violations, and what axe could not decide: `incomplete`) as a JSON line.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The server's CSP (script-src 'self') refuses an injected script: the test's pages bypass it to run axe. */
const NO_CSP = { bypassCSP: true } as const;
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let app: TestApp;
let browser: Browser;
let admin: string;
let displayToken: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  admin = await app.login();
  await sendToday(app, admin);
  displayToken = (await createDisplayToken(app, admin, 'lobby')).token;
  // Targets, so that cards show their status (达标 / 未达标) in its colours; this year and the next, as
  // the report's time zone may be in either.
  const year = new Date().getUTCFullYear();
  for (const y of [year, year + 1]) {
    const res = await fetch(`${app.baseUrl}/api/admin/targets/${y}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        'hotline.signed': { target: 1, direction: '>=' },
        'hall.visitors': { target: 100_000_000, direction: '>=' },
      }),
    });
    if (!res.ok) throw new Error(`targets: ${res.status} ${await res.text()}`);
  }
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** One line per failing element: rule, impact, where, and axe's summary of what is wrong. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    // axe is the global the injected script defines.
    (tags) =>
      (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations', 'incomplete'],
      }),
    WCAG_TAGS,
  );
  if (process.env.AXE_REPORT) appendFileSync(process.env.AXE_REPORT, `${JSON.stringify({ url: page.url(), ...results })}\n`);
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`),
  );
}

interface AxeResults {
  incomplete: { id: string; nodes: unknown[] }[];
  violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string; html: string }[] }[];
}

/** Until every finite animation (transitions, rolling figures; not a ticker's endless scroll) has ended. */
function animationsDone(page: Page) {
  return page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
  );
}

/** The page after its requests are answered and Element Plus' transitions are over. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await animationsDone(page);
}

async function signedIn(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...NO_CSP });
  page.setDefaultTimeout(10_000);
  await page.goto(`${app.baseUrl}/login`);
  await settled(page);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=console]');
  return page;
}

const FEEDS = ['hotline', 'online', 'hall', 'crossRegion', 'evaluations'];
const ADMIN_TABS = ['users', 'targets', 'reference', 'tokens', 'alerts', 'templates', 'audit'];
/** Every route of the console's router (client/src/views/console/routes.ts), the administration by tab. */
const CONSOLE_PATHS = [
  '/console',
  ...FEEDS.map((feed) => `/console/feeds/${feed}`),
  '/console/supervised',
  '/console/health',
  '/console/imports',
  '/console/exports',
  ...ADMIN_TABS.map((tab) => `/console/admin/${tab}`),
];

describe('accessibility (axe-core, WCAG 2.1 A/AA)', () => {
  it('the login page has no violation, in Chinese and in English, and html lang follows the UI language', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...NO_CSP });
    await page.goto(`${app.baseUrl}/login`);
    await settled(page);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-testid=locale-toggle]');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  describe('every console page, signed in as an administrator, with data present', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signedIn();
    });
    afterAll(() => page?.close());
    for (const path of CONSOLE_PATHS) {
      it(`${path} has no violation`, async () => {
        await page.goto(`${app.baseUrl}${path}`);
        await page.waitForSelector('[data-testid=console] main');
        await settled(page);
        if (path === '/console') {
          // With data: figures, and both statuses of a target.
          await page.waitForSelector('[data-testid=overview][data-ready=true]');
          await page.waitForSelector('[data-kpi="hotline.signed"][data-status=met]');
          await page.waitForSelector('[data-kpi="hall.visitors"][data-status=not_met]');
        }
        expect(await axeViolations(page)).toEqual([]);
      });
    }
  });

  it('each console page has its own title, in the UI language', async () => {
    const page = await signedIn();
    const titles = new Set<string>();
    for (const path of ['/console', '/console/feeds/hotline', '/console/imports', '/console/admin/users']) {
      await page.goto(`${app.baseUrl}${path}`);
      await page.waitForSelector('[data-testid=console] main');
      await settled(page);
      titles.add(await page.title());
    }
    expect(titles.size).toBe(4);
    expect([...titles][0]).toMatch(/^总览/);
    await page.click('[data-testid=locale-toggle]');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => page.title()).toMatch(/^Users/);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  for (const screen of ['hotline', 'services']) {
    it(`the wall's ${screen} screen has no violation`, async () => {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, ...NO_CSP });
      await page.goto(`${app.baseUrl}/wall?token=${displayToken}&screens=${screen}&kiosk=1`);
      await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state'), { timeout: 15_000 }).toBe('live');
      await expect.poll(() => page.getAttribute('[data-testid=wall-screen]', 'data-current-screen')).toBe(screen);
      await animationsDone(page);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });
  }
});
