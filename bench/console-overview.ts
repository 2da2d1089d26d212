/**
 * The console's overview for a whole year, opened in Chromium on a warm server: a year of the 2022
 * report's magnitude (BENCH_SCALE, default 1) ingested over HTTP into a fresh deployment, then the
 * overview `/console?from=<year>-01-01&to=<year>-12-31` opened BENCH_REPEAT times (default 5, after one
 * warm-up) in a new page each time, timing from navigation start (the page's own clock) until every
 * card shows its figure, and until the comparisons and sparklines are in. Also the client's initial
 * JavaScript, gzipped: the entry and its static imports (index.html), and everything the overview
 * loads, and the time of a drill-down level over the year. Figures go to bench/RESULTS.md, section "console-overview" (or "…-scale-<s>" below scale 1).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../tests/support/browser.ts';
import { deploy, ingestToIdle } from './ingest-run.ts';
import { fmt, summarize, writeSection } from './results.ts';
import { BENCH_YEAR, benchYear } from './year-batches.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 5));
const DIST = new URL('../client/dist/', import.meta.url);
const say = (line: string) => console.log(`  [console] ${line}`);

/** Gzipped size in bytes of a built asset (`/assets/…`). */
const gzippedBytes = (path: string) => gzipSync(readFileSync(new URL(`.${path}`, DIST)), { level: 9 }).length;
const kib = (bytes: number) => fmt(bytes / 1024, 1);

/** The entry script and the modules index.html preloads: what every page, the wall included, loads first. */
function entryScripts(): string[] {
  const html = readFileSync(new URL('index.html', DIST), 'utf8');
  return [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => (m[1] ?? m[2])!);
}

const year = benchYear(SCALE);
say(`year ${BENCH_YEAR} at scale ${SCALE}: ${fmt(year.total)} records`);
const d = await deploy(1);
const browser = await launchChromium();
try {
  const timing = await ingestToIdle(d, year.batches);
  say(`ingested in ${fmt(timing.idleSeconds, 1)} s`);
  const url = `${d.base}/console?from=${BENCH_YEAR}-01-01&to=${BENCH_YEAR}-12-31`;
  const session = { token: d.token, role: 'admin', username: 'admin', expiresAtMs: Date.now() + 3_600_000 };
  const cardsMs: number[] = [];
  const completeMs: number[] = [];
  const scripts = new Set<string>();
  for (let run = 0; run <= REPEAT; run++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript((s) => sessionStorage.setItem('pulse.session', JSON.stringify(s)), session);
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.js')) scripts.add(path);
    });
    await page.goto(url);
    // Every card's figure is in: no card still empty (a figure that cannot be computed shows "—", also a figure).
    const cards = await page.waitForFunction(
      () => {
        const values = [...document.querySelectorAll('[data-kpi] [data-testid=kpi-value]')];
        return document.querySelector('[data-testid=overview][data-ready=true]') &&
          values.length > 0 &&
          values.every((v) => (v.textContent ?? '').trim() !== '')
          ? performance.now()
          : null;
      },
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    const cardsAt = (await cards.jsonValue()) as number;
    // Comparisons and sparklines: the last API answer of the page.
    await page.waitForLoadState('networkidle');
    const lastApiAt = await page.evaluate(() =>
      Math.max(
        ...performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/api/'))
          .map((e) => (e as PerformanceResourceTiming).responseEnd),
      ),
    );
    const cardCount = await page.locator('[data-kpi]').count();
    if (run > 0) {
      cardsMs.push(cardsAt);
      completeMs.push(Math.max(cardsAt, lastApiAt));
    }
    say(
      `${run === 0 ? 'warm-up' : `run ${run}/${REPEAT}`}: ${cardCount} cards in ${fmt(cardsAt)} ms, complete in ${fmt(Math.max(cardsAt, lastApiAt))} ms`,
    );
    await page.close();
  }
  // A drill-down level over the year (street within the largest category): what a click in the breakdown costs.
  const get = async (path: string) => (await fetch(`${d.base}${path}`, { headers: { authorization: `Bearer ${d.token}` } })).json();
  const byCategory = (await get(`/api/kpis?from=${BENCH_YEAR}-01-01&to=${BENCH_YEAR}-12-31&groupBy=category`)) as {
    groups: { key: string; kpis: Record<string, { value: number | null }> }[];
  };
  const top =
    [...byCategory.groups].sort((a, b) => (b.kpis['hotline.signed']?.value ?? 0) - (a.kpis['hotline.signed']?.value ?? 0))[0]?.key ?? '';
  const drillMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await get(`/api/kpis?from=${BENCH_YEAR}-01-01&to=${BENCH_YEAR}-12-31&groupBy=street&where=${encodeURIComponent(`category:${top}`)}`);
    drillMs.push(performance.now() - started);
  }
  const drill = summarize(drillMs);
  const entry = entryScripts();
  const entryGz = entry.reduce((n, p) => n + gzippedBytes(p), 0);
  const overviewGz = [...scripts].reduce((n, p) => n + gzippedBytes(p), 0);
  const cards = summarize(cardsMs);
  const complete = summarize(completeMs);
  const lines = [
    `- year ${BENCH_YEAR} at scale ${SCALE}: ${fmt(year.total)} records ingested (${year.mix})`,
    `- overview for the whole year, warm server, Chromium (headless), from navigation start: every card's figure shown after median ${fmt(cards.median)} ms (min ${fmt(cards.min)}, max ${fmt(cards.max)}; ${REPEAT} runs after a warm-up); with comparisons and sparklines ${fmt(complete.median)} ms (max ${fmt(complete.max)})`,
    `- a drill-down level over the year (GET /api/kpis groupBy=street where=category:${top}): p50 ${fmt(drill.median)} ms, p95 ${fmt(drill.p95)} ms (20 requests)`,
    `- initial JavaScript, gzipped: entry and its static imports ${kib(entryGz)} KiB (${entry.length} files); everything the overview loads ${kib(overviewGz)} KiB (${scripts.size} files, Element Plus and ECharts included)`,
  ];
  for (const line of lines) say(line);
  writeSection(SCALE === 1 ? 'console-overview' : `console-overview-scale-${SCALE}`, lines.join('\n'));
} finally {
  await browser.close();
  await d.stop();
}
