/**
 * Where the wall's renderer time goes during the live stream: the same set-up as bench/wall-renderer.ts (a fresh
 * Pulse, today so far, the simulator's stream at DEMO_RATE records/s with its clock at the busiest hour), then a
 * DevTools trace (CDP Tracing: devtools.timeline, disabled-by-default-devtools.timeline, blink, cc, gpu) of the wall
 * page for WALL_TRACE_SECONDS (default 30) after WALL_TRACE_WARMUP seconds (default 15), summed per event name on
 * the renderer's main thread, its compositor thread and its raster workers: events/s and ms/s (inclusive: a
 * Layout inside a FunctionCall counts in both), the main thread's busy time (top-level tasks), the area Paint
 * events cover per second and the ECharts canvas work (FunctionCall / TimerFire / FireAnimationFrame / paint
 * of each canvas). WALL_TRACE_SCREENS (e.g. `hotline`) pins the playlist to screens; WALL_TRACE_ROTATE sets
 * rotateSeconds; WALL_TRACE_OUT=file.json keeps the trace (DevTools opens it). A diagnostic, not a suite part: it prints, it writes nothing to bench/RESULTS.md.
 * Run: `node bench/wall-trace.ts` after `npm run build`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { launchChromium } from '../tests/support/browser.ts';
import { createWallPath, deploy, startBusyHourStream } from './ingest-run.ts';
import { summariseTrace, type TraceEvent } from './wall-trace-summary.ts';

const SECONDS = Number(process.env.WALL_TRACE_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.WALL_TRACE_WARMUP ?? 15);
const RATE = Number(process.env.DEMO_RATE ?? 20);
const SCREENS = process.env.WALL_TRACE_SCREENS ?? '';
const ROTATE = process.env.WALL_TRACE_ROTATE ?? '';
const CATEGORIES = [
  'devtools.timeline',
  'blink.animations',
  'disabled-by-default-devtools.timeline.animation',
  'disabled-by-default-devtools.timeline',
  'blink',
  'cc',
  'gpu',
  'v8.execute',
  '__metadata',
];
/** WALL_TRACE_INVALIDATIONS=1: also what invalidated style, layout and paint (costs the page some time itself). */
if (process.env.WALL_TRACE_INVALIDATIONS === '1') CATEGORIES.push('disabled-by-default-devtools.timeline.invalidationTracking');

if (!existsSync(new URL('../client/dist/index.html', import.meta.url))) throw new Error('client/dist is missing: run npm run build first');

const d = await deploy(1, { LOG_LEVEL: 'warn' });
const browser = await launchChromium();
const stream = { stop: async () => undefined } as { stop(timeoutMs?: number): Promise<void> };
try {
  const { live } = await startBusyHourStream(d, RATE);
  stream.stop = (timeoutMs) => live.stop(timeoutMs);
  const url = new URL(await createWallPath(d, 'bench wall trace'), d.base);
  if (SCREENS) url.searchParams.set('screens', SCREENS);
  if (ROTATE) url.searchParams.set('rotateSeconds', ROTATE);

  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(url.href);
  await page.waitForSelector('[data-testid=wall-screen][data-live-state=live]', { timeout: 30_000 });
  // WALL_TRACE_CSS: a style sheet added to the page, to see what a rule costs (e.g. no transitions) before changing the client.
  if (process.env.WALL_TRACE_CSS) await page.addStyleTag({ content: process.env.WALL_TRACE_CSS });
  await page.waitForTimeout(WARMUP_SECONDS * 1000);
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const load = loadavg()[0]!.toFixed(1);
  const sentBefore = live.stats().sent;
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
  await page.waitForTimeout(SECONDS * 1000);
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await complete;
  console.log(
    `wall trace: ${SECONDS} s after ${WARMUP_SECONDS} s, ${RATE} records/s (${live.stats().sent - sentBefore} sent), ` +
      `screens ${SCREENS || 'default'}, load (1 min) ${load}, Chromium ${browser.version()}`,
  );
  if (process.env.WALL_TRACE_OUT) writeFileSync(process.env.WALL_TRACE_OUT, JSON.stringify({ traceEvents: events }));
  console.log(summariseTrace(events));
  await context.close();
} finally {
  await stream.stop(2_000);
  await browser.close();
  await d.stop();
}
