/**
 * The client part of the suite, on the built client (`npm run build` first):
 * - gzipped size of the initial JavaScript (the entry script and modulepreloads of index.html), and of
 *   all JavaScript the wall page loads before its first full render;
 * - time to the first full wall render in headless Chromium at 1920×1080, cold cache, with today so far
 *   up to 10:00 in (sendBusyHourToday): navigation start → every KPI card is filled, the 签收 card shows
 *   what the API reports, every chart has drawn.
 * BENCH_REPEAT renders (default 3). Writes the section "client" of bench/RESULTS.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../tests/support/browser.ts';
import { createWallPath, deploy, sendBusyHourToday } from './ingest-run.ts';
import { fmt, median, table, writeSection } from './results.ts';

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const DIST = new URL('../client/dist/', import.meta.url);
const RENDER_TIMEOUT_MS = 30_000;
const say = (line: string) => console.log(`  [client] ${line}`);

if (!existsSync(new URL('index.html', DIST))) throw new Error('client/dist is missing: run npm run build first');
const gzippedKiB = (path: string) => gzipSync(readFileSync(new URL(path.replace(/^\//, ''), DIST)), { level: 9 }).length / 1024;
const indexHtml = readFileSync(new URL('index.html', DIST), 'utf8');
const initialScripts = [...indexHtml.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map(
  (m) => m[1]!,
);
const initialKiB = initialScripts.reduce((sum, path) => sum + gzippedKiB(path), 0);
say(`initial JavaScript: ${initialScripts.length} files, ${fmt(initialKiB, 1)} KiB gzipped`);

const d = await deploy(1, { LOG_LEVEL: 'warn' });
const browser = await launchChromium();
try {
  // Today so far up to the busy hour, as the simulator's outside systems would have sent it: cards and charts have figures.
  const today = await sendBusyHourToday(d);
  say(`today so far (a ${today.dayKind}, up to 10:00): ${fmt(today.records)} records from the simulator`);
  const wallPath = await createWallPath(d, 'bench client');
  // The page has rendered today's figures when its 签收 card shows what the API says (on a quiet day that may be 0).
  const figures = (await (
    await fetch(`${d.base}/api/kpis?from=${today.day}&to=${today.day}`, { headers: { authorization: `Bearer ${d.token}` } })
  ).json()) as { kpis: Record<string, { value: number | null }> };
  const signedDigits = String(figures.kpis['hotline.signed']!.value);

  const renders: number[] = [];
  const wallJsKiB: number[] = [];
  for (let run = 1; run <= REPEAT; run++) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.js')) scripts.add(path);
    });
    await page.goto(new URL(wallPath, d.base).href);
    const renderedAtMs = await page.waitForFunction(
      (expectedSigned) => {
        const values = [...document.querySelectorAll('[data-kpi] [data-testid="kpi-value"]')];
        const charts = [...document.querySelectorAll('[_echarts_instance_]')];
        // Every card filled (a figure, or — where today has no denominator), and today's tickets counted.
        const signed = document.querySelector('[data-kpi="hotline.signed"] [data-testid="kpi-value"]')?.textContent ?? '';
        const figures =
          values.length > 0 && values.every((v) => (v.textContent ?? '').trim() !== '') && signed.replace(/\D/g, '') === expectedSigned;
        // A chart with nothing to draw today (a quiet day's rankings) shows its panel's 今日暂无数据 instead.
        const drawn = charts.every((c) => c.querySelector('canvas, svg') !== null || c.closest('.wall-panel')?.querySelector('.empty'));
        return figures && drawn ? performance.now() : null;
      },
      signedDigits,
      { polling: 'raf', timeout: RENDER_TIMEOUT_MS },
    );
    renders.push((await renderedAtMs.jsonValue()) as number);
    wallJsKiB.push([...scripts].reduce((sum, path) => sum + gzippedKiB(path), 0));
    say(
      `render ${run}/${REPEAT}: ${fmt(renders.at(-1)!)} ms from navigation start; ${scripts.size} JS files, ${fmt(wallJsKiB.at(-1)!, 1)} KiB gzipped`,
    );
    await context.close();
  }
  const body = [
    `Built client (client/dist). Chromium ${browser.version()}, headless, 1920×1080, cold cache, server and Redis on this machine.`,
    '',
    table([
      { label: `initial JavaScript (index.html: ${initialScripts.length} files), gzip -9`, unit: 'KiB', values: [initialKiB], digits: 1 },
      {
        label: 'JavaScript loaded for the wall’s first full render, gzip -9',
        unit: 'KiB',
        values: wallJsKiB,
        digits: 1,
        ratios: [{ to: 'initial', ratio: median(wallJsKiB) / initialKiB }],
      },
      {
        label: 'first full wall render (every KPI card shows a figure, every chart drawn), from navigation start',
        unit: 'ms',
        values: renders,
      },
    ]),
  ].join('\n');
  console.log(body);
  writeSection('client', body);
} finally {
  await browser.close();
  await d.stop();
}
