import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../shared/feeds/wall.ts';
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
  // Every alert level on the wall: today's records put two hotline rates at red and 差评 at orange
  // (the default thresholds); 20 people waiting is yellow with this threshold.
  const alerts = await fetch(`${app.baseUrl}/api/admin/alerts`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({
      thresholds: { ...DEFAULT_ALERT_SETTINGS.thresholds, 'hall.waitingNow': { direction: 'above', yellow: 10, orange: 60, red: 100 } },
      webhook: null,
    }),
  });
  if (!alerts.ok) throw new Error(`alerts: ${alerts.status} ${await alerts.text()}`);
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

/** Until every finite animation (transitions, rolling figures, a ticker's step; not an endless one) has ended. */
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

/**
 * What axe leaves undecided on the wall: text over its panels' gradients. Each text's colour against
 * every stop of every gradient behind it (composited over the grounds beneath), the worst one counting;
 * 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). One line per failing text.
 */
function wallContrastFailures(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (c: string): Rgba[] =>
      [...c.matchAll(/rgba?\(([^)]+)\)/g)].map((m) => {
        const [r, g, b, a] = m[1]!.split(/[ ,/]+/).map(Number);
        return [r!, g!, b!, a ?? 1];
      });
    const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba;
    const lum = (c: Rgba) =>
      [0, 1, 2]
        .map((i) => c[i]! / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const ratio = (a: Rgba, b: Rgba) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    const failures: string[] = [];
    const screen = document.querySelector('[data-testid=wall-screen]')!;
    const walker = document.createTreeWalker(screen, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement!;
      if (!node.textContent?.trim() || seen.has(el) || el.closest('[aria-hidden=true]')) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
      // Grounds from the page down to the element: each a list of possible colours (a gradient's stops).
      const chain: Element[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) chain.unshift(e);
      let grounds: Rgba[] = [[255, 255, 255, 1]];
      for (const e of chain) {
        const s = getComputedStyle(e);
        const layers = [...parse(s.backgroundColor).filter((c) => c[3] > 0), ...parse(s.backgroundImage)];
        if (layers.length === 0) continue;
        grounds = s.backgroundImage.includes('gradient')
          ? grounds.flatMap((g) => parse(s.backgroundImage).map((stop) => over(stop, over(parse(s.backgroundColor)[0] ?? [0, 0, 0, 0], g))))
          : grounds.map((g) => over(layers[0]!, g));
      }
      const fg = parse(style.color)[0]!;
      const size = parseFloat(style.fontSize) / (screen.getBoundingClientRect().width / 1920);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const worst = Math.min(...grounds.map((g) => ratio(over(fg, g), g)));
      if (worst < (large ? 3 : 4.5))
        failures.push(
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${node.textContent.trim().slice(0, 20)}": ${worst.toFixed(2)}`,
        );
    }
    return failures;
  });
}

const FEEDS = ['hotline', 'online', 'hall', 'crossRegion', 'evaluations'];
const ADMIN_TABS = ['users', 'targets', 'reference', 'tokens', 'alerts', 'templates', 'audit'];
/** Every route of the console's router (client/src/views/console/routes.ts), the administration by tab. */
const CONSOLE_PATHS = [
  '/console',
  ...FEEDS.map((feed) => `/console/feeds/${feed}`),
  '/console/supervised',
  '/console/hotspots',
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

  it('keyboard focus is visible on every stop of the overview and a feed page', async () => {
    const page = await signedIn();
    const hidden: string[] = [];
    for (const path of ['/console', '/console/feeds/hotline']) {
      await page.goto(`${app.baseUrl}${path}`);
      await settled(page);
      for (let i = 0; i < 30; i += 1) {
        await page.keyboard.press('Tab');
        await animationsDone(page); // Element Plus eases its rings in
        const focus = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          // A hidden native input (Element Plus' radio buttons) shows its focus on the element after it.
          const shown = getComputedStyle(el).opacity === '0' && el.nextElementSibling ? el.nextElementSibling : el;
          const s = getComputedStyle(shown);
          return {
            what: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`,
            ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          };
        });
        if (focus && !focus.ring) hidden.push(`${path} ${focus.what}`);
      }
    }
    expect(hidden).toEqual([]);
    await page.close();
  });

  it('charts are images with their figures in words, on the console and on the wall', async () => {
    const page = await signedIn();
    await page.goto(`${app.baseUrl}/console/feeds/hotline`);
    const bars = page.locator('[data-testid=breakdown-level] [data-testid=console-chart]');
    await expect.poll(() => bars.getAttribute('aria-label')).toMatch(/城市管理 \d+/);
    expect(await bars.getAttribute('role')).toBe('img');
    expect(await page.locator('[data-testid=console-chart]').first().getAttribute('aria-label')).toMatch(/^趋势/);
    await page.close();

    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await wall.goto(`${app.baseUrl}/wall?token=${displayToken}&screens=hotline&kiosk=1`);
    const streets = wall.locator('[data-testid=streets] .rank-chart');
    await expect.poll(() => streets.getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/^街道排名（签收）。.*朝阳街道 \d+/);
    expect(await streets.getAttribute('role')).toBe('img');
    await expect.poll(() => wall.locator('[data-testid=hourly-chart] [role=img]').getAttribute('aria-label')).toMatch(/^分时签收/);
    await wall.close();
  });

  it('the wall tells each alert level by a shape and a word, not by colour alone', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${app.baseUrl}/wall?token=${displayToken}&screens=hotline,services&kiosk=1`);
    await expect.poll(() => page.getAttribute('[data-testid=connection-state]', 'data-state'), { timeout: 15_000 }).toBe('live');
    const badge = (kpiId: string) => page.locator(`[data-kpi="${kpiId}"] [data-testid=alert-badge]`);
    const read = async (kpiId: string) => ({
      level: await page.getAttribute(`[data-kpi="${kpiId}"]`, 'data-alert'),
      shape: await badge(kpiId).getAttribute('data-shape'),
      text: (await badge(kpiId).textContent())?.trim(),
    });
    expect(await page.textContent('[data-testid=connection-label]')).toBe('实时'); // the link's state in words too
    expect(await page.title()).toBe(await page.textContent('[data-testid=wall-title]'));
    await expect.poll(() => read('hotline.resolutionRate'), { timeout: 15_000 }).toEqual({ level: 'red', shape: 'octagon', text: '告警' });
    expect(await read('hotline.satisfactionRate')).toEqual({ level: 'normal', shape: 'check', text: '正常' });
    expect(await read('hotline.signed')).toEqual({ level: 'normal', shape: 'check', text: '正常' });
    // Every figure card carries its level.
    expect(await page.locator('[data-screen=hotline] [data-kpi][data-alert]').count()).toBe(
      await page.locator('[data-screen=hotline] [data-kpi][data-alert] [data-testid=alert-badge]').count(),
    );

    await page.goto(`${app.baseUrl}/wall?token=${displayToken}&screens=services&kiosk=1`);
    await expect.poll(() => read('evaluations.negative'), { timeout: 15_000 }).toEqual({ level: 'orange', shape: 'diamond', text: '预警' });
    await expect.poll(() => read('hall.waitingNow')).toEqual({ level: 'yellow', shape: 'triangle', text: '关注' });
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/wall-alert-levels.png' });
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
      expect(await wallContrastFailures(page)).toEqual([]);
      await page.close();
    });
  }
});
