/**
 * The wall's steady cost in the browser: Pulse deployed as the ingest part deploys it (a fresh Redis, one
 * server and one worker process), today so far from the simulator (generateToday), then the simulator's live
 * stream at the demo's rate (DEMO_RATE, default 20 records a second at the busiest hour — the stream's clock
 * is set to 10:00 today in Asia/Shanghai, so every run gets the busy hour whatever the time of the run), and
 * the wall in headless Chromium at 1920×1080 with its default playlist. After WALL_RENDERER_WARMUP seconds
 * (default 15), CDP Performance.getMetrics is read at the start and end of WALL_RENDERER_SECONDS (default 90):
 * TaskDuration (the renderer's main-thread busy time) over wall time is the share of one core; LayoutCount and
 * RecalcStyleCount per second say whether the page lays out while no figure changes. BENCH_REPEAT runs
 * (default 3), each with a fresh page. Writes the section "wall-renderer" of bench/RESULTS.md.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { launchChromium } from '../tests/support/browser.ts';
import { createWallPath, deploy, startBusyHourStream } from './ingest-run.ts';
import { fmt, table, writeSection } from './results.ts';

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const SECONDS = Number(process.env.WALL_RENDERER_SECONDS ?? 90);
const WARMUP_SECONDS = Number(process.env.WALL_RENDERER_WARMUP ?? 15);
const RATE = Number(process.env.DEMO_RATE ?? 20);
const TARGET_SHARE = 8;
const say = (line: string) => console.log(`  [wall-renderer] ${line}`);

if (!existsSync(new URL('../client/dist/index.html', import.meta.url))) throw new Error('client/dist is missing: run npm run build first');

type Metrics = Record<string, number>;

const d = await deploy(1, { LOG_LEVEL: 'warn' });
const browser = await launchChromium();
const stream = { stop: async () => undefined } as { stop(timeoutMs?: number): Promise<void> };
try {
  const { live, dayKind } = await startBusyHourStream(d, RATE);
  stream.stop = (timeoutMs) => live.stop(timeoutMs);
  const wallPath = await createWallPath(d, 'bench wall renderer');

  const shares: number[] = [];
  const layouts: number[] = [];
  const styles: number[] = [];
  /** Load average (1 min) at each run's start: a starved renderer's TaskDuration counts its wait for a core. */
  const loads: string[] = [];
  const layoutMs: number[] = [];
  const sentPerSecond: number[] = [];
  const scriptShares: number[] = [];
  for (let run = 1; run <= REPEAT; run++) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(new URL(wallPath, d.base).href);
    await page.waitForSelector('[data-testid=wall-screen][data-live-state=live]', { timeout: 30_000 });
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await page.waitForTimeout(WARMUP_SECONDS * 1000);
    const read = async (): Promise<Metrics> =>
      Object.fromEntries(
        ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [
          m.name,
          m.value,
        ]),
      );
    loads.push(loadavg()[0]!.toFixed(1));
    const before = await read();
    const sentBefore = live.stats().sent;
    await page.waitForTimeout(SECONDS * 1000);
    const after = await read();
    const wall = after.Timestamp! - before.Timestamp!;
    const diff = (name: string) => after[name]! - before[name]!;
    shares.push((diff('TaskDuration') / wall) * 100);
    scriptShares.push((diff('ScriptDuration') / wall) * 100);
    layouts.push(diff('LayoutCount') / wall);
    styles.push(diff('RecalcStyleCount') / wall);
    layoutMs.push((diff('LayoutDuration') * 1000) / wall);
    sentPerSecond.push((live.stats().sent - sentBefore) / wall);
    say(
      `run ${run}/${REPEAT}: ${fmt(shares.at(-1)!, 1)} % of a core (script ${fmt(scriptShares.at(-1)!, 1)} %), ` +
        `${fmt(layouts.at(-1)!, 1)} layouts/s (${fmt(layoutMs.at(-1)!, 1)} ms/s), ${fmt(styles.at(-1)!, 1)} style recalcs/s; ` +
        `${live.stats().sent - sentBefore} records sent meanwhile`,
    );
    await context.close();
  }
  const body = [
    `The wall (1920×1080, headless Chromium ${browser.version()}, default playlist, kiosk) during the simulator's live stream at ` +
      `DEMO_RATE=${RATE} (the demo's default is 20 records/s at the busiest hour of a working day; clock set to that hour of today, a ${dayKind}), ` +
      `after today so far; Pulse as 1 server + 1 worker process. ` +
      `CDP Performance.getMetrics over ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, a fresh page per run; ` +
      `load average (1 min) at the runs' starts: ${loads.join(', ')}.`,
    '',
    table([
      { label: 'renderer main thread busy (TaskDuration / wall time)', unit: '% of a core', values: shares, digits: 1 },
      { label: 'of which script (ScriptDuration / wall time)', unit: '% of a core', values: scriptShares, digits: 1 },
      { label: 'layouts (LayoutCount)', unit: '/s', values: layouts, digits: 1 },
      { label: 'layout time (LayoutDuration)', unit: 'ms/s', values: layoutMs, digits: 1 },
      { label: 'style recalculations (RecalcStyleCount)', unit: '/s', values: styles, digits: 1 },
      { label: 'records the stream sent', unit: '/s', values: sentPerSecond, digits: 1 },
    ]),
    '',
    `Target (issue 19): ≤ ${TARGET_SHARE} % of one core — ${[...shares].sort((a, b) => a - b)[Math.floor(shares.length / 2)]! <= TARGET_SHARE ? 'met' : 'NOT met'} (median).`,
  ].join('\n');
  console.log(body);
  writeSection('wall-renderer', body);
} finally {
  await stream.stop(2_000);
  await browser.close();
  await d.stop();
}
