/**
 * The wall page's JS heap over a long run: a bench-local live server (real socket.io, in this process) serves
 * client/dist, answers /api/kpis/series, and speaks the `/live` protocol — a snapshot, then deltas with
 * varying figures, breakdowns, alerts, feed states and ticker items — while the page rotates between its two
 * screens every few seconds (charts mounted and disposed over and over). The heap is measured in headless
 * Chromium (CDP: HeapProfiler.collectGarbage, then Runtime.getHeapUsage) after 1,000 applied deltas and
 * then every tenth of WALL_UPDATES (default 100,000), each time at the same point of a fresh showing of the
 * hotline screen, after the page caught up with every delta sent. Deltas go at WALL_RATE a second (default
 * 150). Every HOTSPOT_EVERY deltas a `hotspots` event replaces the 热点预警 panel's list (hotspots raised and
 * ended as the run goes, so the panel's items come and go). WALL_SNAPSHOTS=<dir> also saves each measuring
 * point's heap snapshot there (`<updates>.heapsnapshot`, for comparing by constructor; keep them out of git).
 * Usage: `node bench/wall-memory.ts`. Writes the section "wall-memory" of bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Server, type Socket } from 'socket.io';
import type { Hotspot } from '../shared/analytics/hotspots.ts';
import type { KpiValue } from '../shared/kpis.ts';
import { LIVE_NAMESPACE, type LiveMessage, type TickerItem } from '../shared/socket-events.ts';
import { CLIENT_DIST } from '../server/app.ts';
import { launchChromium } from '../tests/support/browser.ts';
import { STREETS } from '../tests/browser/wall-records.ts';
import { writeSection } from './results.ts';

const TOTAL_UPDATES = Number(process.env.WALL_UPDATES ?? 100_000);
const EARLY_UPDATES = 1_000;
/** The target compares the heap after this many updates with the heap after EARLY_UPDATES. */
const TARGET_UPDATES = 100_000;
/** Deltas a second (a real wall gets a few; this is what the page keeps up with on a small machine). */
const RATE_PER_SECOND = Number(process.env.WALL_RATE ?? 150);
const ROTATE_SECONDS = 5;
/** A `hotspots` event after every this many deltas. */
const HOTSPOT_EVERY = 200;
const SNAPSHOT_DIR = process.env.WALL_SNAPSHOTS;
const CATEGORIES = ['城市管理', '市场监管', '住房保障', '交通运输', '劳动社保', '生态环境', '教育体育'];
const HALLS = ['区政务服务大厅', '文艺路街道政务服务中心', '马王堆24小时政务服务驿站'];
const PARTNERS = ['广东省深圳市南山区', '湘潭市岳塘区', '株洲市天元区', '贵州省贵阳市南明区'];

const say = (line: string) => process.stdout.write(`${line}\n`);
const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const count = (value: number): KpiValue => ({ value });
const rate = (numerator: number, denominator: number): KpiValue => ({
  value: denominator ? numerator / denominator : null,
  numerator,
  denominator,
});

/** Today's figures after `n` updates: every figure moves with n. */
function kpisAt(n: number): Record<string, KpiValue> {
  return {
    'hotline.signed': count(n),
    'hotline.completed': count(Math.floor(n * 0.8)),
    'hotline.open': count(n - Math.floor(n * 0.8)),
    'hotline.overdue': count(n % 17),
    'hotline.responseWithin1hRate': rate(n % 100, 100),
    'hotline.resolutionRate': rate((n * 7) % 100, 100),
    'hotline.satisfactionRate': rate(90 + (n % 10), 100),
    'hotline.supervised': { value: n % 40, breakdown: { overdue: n % 17, unresolved: n % 11, dissatisfied: n % 7, repeat: n % 5 } },
    'hall.waitingNow': count(n % 60),
    'hall.servedMatters': count(Math.floor(n / 3)),
    'hall.avgWaitMinutes': rate(n % 900, 60),
    'online.volume': count(n * 3),
    'online.yoyMultiple': rate(n * 3, 1_000),
    'crossRegion.partners': { value: 4, breakdown: { inter_provincial: 2, changzhutan: 2 } },
    'crossRegion.received': count(Math.floor(n / 10)),
    'crossRegion.completed': count(Math.floor(n / 12)),
    'evaluations.count': count(Math.floor(n / 2)),
    'evaluations.positiveRate': rate(95, 100),
    'evaluations.negative': count(n % 6),
  };
}

function groupsAt(n: number): NonNullable<LiveMessage['groups']> {
  const by = (names: string[], make: (i: number) => Record<string, KpiValue>) =>
    Object.fromEntries(names.map((name, i) => [name, make(i)]));
  return {
    street: by(STREETS, (i) => ({ 'hotline.signed': count((n * (i + 3)) % 97) })),
    category: by(CATEGORIES, (i) => ({ 'hotline.signed': count((n * (i + 5)) % 89) })),
    hall: by(HALLS, (i) => ({ 'hall.servedMatters': count((n + i) % 50), 'hall.avgWaitMinutes': rate((n * (i + 1)) % 600, 60) })),
    partnerRegion: by(PARTNERS, (i) => ({ 'crossRegion.received': count((n + i) % 30), 'crossRegion.completed': count((n + i) % 20) })),
    channel: by(['pc', 'mobile', 'window', 'self_service', 'kiosk'], (i) => ({
      'online.volume': count((n * (i + 1)) % 500),
      'evaluations.count': count((n + i) % 40),
      'evaluations.positiveRate': rate(90 + i, 100),
    })),
  };
}

function tickerAt(n: number): TickerItem[] {
  return [
    {
      id: `b${n}:0`,
      feed: 'hotline',
      at: new Date().toISOString(),
      type: 'signed',
      labels: [STREETS[n % STREETS.length]!, CATEGORIES[n % CATEGORIES.length]!],
    },
  ];
}

function messageAt(seq: number, n: number): LiveMessage {
  return {
    seq,
    at: new Date().toISOString(),
    day,
    kpis: kpisAt(n),
    groups: groupsAt(n),
    alerts: n % 2 ? { 'hotline.resolutionRate': 'red', 'hall.waitingNow': 'yellow' } : { 'hotline.overdue': 'orange' },
    feeds: {
      hotline: { lastRecordAt: new Date().toISOString(), silent: false },
      crossRegion: { lastRecordAt: null, silent: n % 100 < 50 },
    },
    ticker: tickerAt(n),
    waitingByHall: Object.fromEntries(HALLS.map((h, i) => [h, (n + i) % 25])),
    lastRecordAt: { hotline: new Date().toISOString() },
  };
}

/**
 * The active hotspots after `n` deltas: 0 to 4 of them, each lasting a few thousand deltas then ended and
 * replaced by a new id (the panel shows 3 and counts the rest), levels and counts moving with n.
 */
function hotspotsAt(n: number): { active: Hotspot[] } {
  const now = Date.now();
  const active = Array.from({ length: Math.floor(n / HOTSPOT_EVERY) % 5 }, (_, k): Hotspot => {
    const generation = Math.floor((n + k * 700) / 2_000);
    return {
      id: `hs-${k}-${generation}`,
      category: k % 3 === 2 ? undefined : CATEGORIES[(generation + k) % CATEGORIES.length],
      street: k % 3 === 1 ? undefined : STREETS[(generation * 3 + k) % STREETS.length],
      start: new Date(now - 3_600_000 * (1 + k)).toISOString(),
      end: null,
      raisedAt: new Date(now - 600_000 * (1 + k)).toISOString(),
      observed: 12 + ((n + k) % 40),
      expected: 0.5 + k * 2.3,
      score: 2 + ((n / HOTSPOT_EVERY + k) % 8),
      level: (['黄', '橙', '红'] as const)[(generation + k) % 3]!,
      ticketIds: Array.from({ length: 3 }, (_, i) => `T${generation}-${k}-${i}`),
      review: { state: 'new' },
    };
  });
  return { active };
}

function seriesAnswer(ids: string[], from: string, to: string) {
  const buckets = [from, to].flatMap((d) => Array.from({ length: 24 }, (_, h) => `${d} ${String(h).padStart(2, '0')}:00`));
  return {
    period: { from, to },
    interval: 'hour',
    buckets,
    series: Object.fromEntries(ids.map((id) => [id, buckets.map(() => ({ value: Math.floor(Math.random() * 100) }))])),
  };
}

const app = express();
app.get('/api/kpis/series', (req, res) => {
  res.json(seriesAnswer(String(req.query.ids ?? '').split(','), String(req.query.from), String(req.query.to)));
});
app.use(express.static(CLIENT_DIST, { index: false }));
app.use((_req, res) => res.sendFile('index.html', { root: CLIENT_DIST }));
const http = createServer(app);
// Polling and WebSocket, as the real server: the page starts on long-polling and upgrades (client/src/live-socket.ts).
const io = new Server(http);
const live = io.of(LIVE_NAMESPACE);

let sent = 0;
let seq = 0;
let socketReady: (() => void) | null = null;
const ready = new Promise<void>((resolve) => (socketReady = resolve));
let current: Socket | null = null;
live.on('connection', (socket) => {
  current = socket;
  seq = 1;
  socket.emit('snapshot', messageAt(seq, sent));
  socket.emit('hotspots', hotspotsAt(sent));
  socket.on('resync', () => {
    seq += 1;
    socket.emit('snapshot', messageAt(seq, sent));
  });
  socketReady?.();
});
const heartbeat = setInterval(() => current?.emit('heartbeat', { seq, at: new Date().toISOString() }), 5_000);

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
const browser = await launchChromium();

try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${base}/wall?token=bench-display-token&screens=hotline,services&rotateSeconds=${ROTATE_SECONDS}&kiosk=1`);
  await ready;

  /** Waits until the page has applied every delta sent (read from the last one's figure, on the hotline screen). */
  const caughtUp = async () => {
    await page.waitForFunction(
      (expected) =>
        document
          .querySelector('[data-screen=hotline] [data-kpi="hotline.signed"] [data-testid="kpi-value"]')
          ?.getAttribute('data-value') === String(expected),
      sent,
      { timeout: 60_000, polling: 100 },
    );
  };
  const onScreen = (name: string) =>
    page.waitForFunction((n) => document.querySelector('[data-testid=wall-screen]')?.getAttribute('data-current-screen') === n, name, {
      timeout: 60_000,
      polling: 100,
    });
  /** Used JS heap after a forced GC, always at the same point: 1.5 s into a fresh showing of the hotline screen, still up when measured. */
  const heapMiB = async () => {
    await caughtUp();
    // On a busy machine the GCs and the snapshot can outlast the showing: the screen then rotates (the services
    // screen holds less) and the figures would not be comparable, so a point is taken again unless the page was
    // still on the hotline screen after the heap was read and the snapshot (atomic) holds the hotline screen's DOM.
    for (let attempt = 1; ; attempt++) {
      await onScreen('services');
      await onScreen('hotline');
      await page.waitForTimeout(1_500);
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      const stillUp = await page.evaluate(
        () => document.querySelector('[data-testid=wall-screen]')?.getAttribute('data-current-screen') === 'hotline',
      );
      const fromSnapshot = stillUp ? await snapshotMiB(sent) : null;
      if (fromSnapshot?.onHotline) return { mib: usedSize / 2 ** 20, ...fromSnapshot };
      if (attempt === 5) throw new Error('the hotline screen rotated away during five measurements running: the machine is too busy');
      say(`  the screen rotated during the measurement after ${sent} updates: measuring at its next showing`);
    }
  };

  /**
   * From a heap snapshot: V8's compiled code (nodes of type `code`: bytecode, feedback, baseline and optimised code),
   * which grows while the JIT warms up and shrinks when V8 flushes what went cold; and the page's own JS data (objects,
   * arrays, strings, closures and their shapes), where anything the wall kept would show. Of the code: the machine
   * code (`system / InstructionStream`: baseline and optimised code, which V8 adds as functions get hot and drops on
   * deoptimisation), and the number of functions V8 knows (`SharedFunctionInfo`), which grows only if the page keeps
   * making new code (eval, new Function, ever new modules) — a leak of code, as opposed to the JIT warming the same code.
   */
  const snapshotMiB = async (updates: number) => {
    const chunks: string[] = [];
    const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    const text = chunks.join('');
    if (SNAPSHOT_DIR) writeFileSync(join(SNAPSHOT_DIR, `${updates}.heapsnapshot`), text);
    const snap = JSON.parse(text) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
      nodes: number[];
      strings: string[];
    };
    const fields = snap.snapshot.meta.node_fields;
    const typeAt = fields.indexOf('type');
    const nameAt = fields.indexOf('name');
    const sizeAt = fields.indexOf('self_size');
    const types = snap.snapshot.meta.node_types[0];
    const code = types.indexOf('code');
    const data = new Set(
      [
        'object',
        'closure',
        'array',
        'string',
        'concatenated string',
        'sliced string',
        'number',
        'regexp',
        'symbol',
        'bigint',
        'object shape',
      ].map((t) => types.indexOf(t)),
    );
    let codeBytes = 0;
    let machineCodeBytes = 0;
    let functions = 0;
    let dataBytes = 0;
    for (let i = 0; i < snap.nodes.length; i += fields.length) {
      if (snap.nodes[i + typeAt] === code) {
        codeBytes += snap.nodes[i + sizeAt]!;
        const name = snap.strings[snap.nodes[i + nameAt]!]!;
        if (name === 'system / InstructionStream') machineCodeBytes += snap.nodes[i + sizeAt]!;
        else if (name.startsWith('system / SharedFunctionInfo')) functions += 1;
      } else if (data.has(snap.nodes[i + typeAt]!)) dataBytes += snap.nodes[i + sizeAt]!;
    }
    return {
      codeMib: codeBytes / 2 ** 20,
      machineCodeMib: machineCodeBytes / 2 ** 20,
      functions,
      dataMib: dataBytes / 2 ** 20,
      onHotline: text.includes('class=\\"hotline-screen\\"'),
    };
  };

  /**
   * Sends deltas at RATE_PER_SECOND until `until` have been sent; the page is not polled meanwhile (polling
   * would put the test driver's own objects into the heap being measured).
   */
  const sendUntil = async (until: number) => {
    const startedAt = performance.now();
    const from = sent;
    while (sent < until) {
      const socket = current;
      if (!socket) throw new Error('the page is not connected');
      const due = Math.min(until, from + Math.floor(((performance.now() - startedAt) / 1000) * RATE_PER_SECOND));
      while (sent < due) {
        sent += 1;
        seq += 1;
        socket.emit('delta', messageAt(seq, sent));
        if (sent % HOTSPOT_EVERY === 0) socket.emit('hotspots', hotspotsAt(sent));
        if (sent % 10_000 === 0) say(`  ${sent} deltas sent`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const started = performance.now();
  /** Measuring points: 1,000, then every tenth of the run (the trend shows a leak a two-point ratio could hide). */
  const points = [EARLY_UPDATES, ...Array.from({ length: 10 }, (_, i) => Math.round((TOTAL_UPDATES * (i + 1)) / 10))]
    .concat(TOTAL_UPDATES > TARGET_UPDATES ? [TARGET_UPDATES] : []) // a longer run still reports the target's point
    .sort((a, b) => a - b)
    .filter((n, i, all) => n >= EARLY_UPDATES && all.indexOf(n) === i);
  const heaps: { updates: number; mib: number; codeMib: number; machineCodeMib: number; functions: number; dataMib: number }[] = [];
  for (const point of points) {
    await sendUntil(point);
    const { mib, codeMib, machineCodeMib, functions, dataMib } = await heapMiB();
    heaps.push({ updates: point, mib, codeMib, machineCodeMib, functions, dataMib });
    say(
      `heap after ${point} updates: ${mib.toFixed(2)} MiB (compiled code ${codeMib.toFixed(2)} MiB, of which machine code ` +
        `${machineCodeMib.toFixed(2)} MiB; ${functions} functions; JS data ${dataMib.toFixed(2)} MiB)`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const early = heaps[0]!.mib;
  const late = heaps.at(-1)!.mib;
  const atTarget = heaps.find((h) => h.updates === TARGET_UPDATES) ?? heaps.at(-1)!;
  const pct = (mib: number, base = early) => {
    const change = (mib / base - 1) * 100;
    return `${change >= 0 ? '+' : ''}${change.toFixed(1)} %`;
  };
  say(`heap after ${TOTAL_UPDATES} updates: ${late.toFixed(2)} MiB (${pct(late)} against ${EARLY_UPDATES}), ${seconds.toFixed(0)} s`);

  writeSection(
    'wall-memory',
    `Wall page JS heap (headless Chromium, 1920×1080, both screens rotating every ${ROTATE_SECONDS} s, each delta carrying all ` +
      `figures, five breakdowns, alerts, feed states and a ticker item, a \`hotspots\` event every ${HOTSPOT_EVERY} deltas; used heap after a forced GC, on the hotline screen):\n\n` +
      `| after | used JS heap | against ${EARLY_UPDATES.toLocaleString('en')} | of which V8 compiled code | of that, machine code | functions V8 knows | ` +
      `heap without compiled code | against ${EARLY_UPDATES.toLocaleString('en')} | ` +
      `JS data (objects, arrays, strings, closures, shapes) | against ${EARLY_UPDATES.toLocaleString('en')} |\n|---|---|---|---|---|---|---|---|---|---|\n` +
      heaps
        .map((h) => {
          const first = heaps[0]!;
          const rest = h.mib - h.codeMib;
          const against = h === first ? ['', '', ''] : [pct(h.mib), pct(rest, first.mib - first.codeMib), pct(h.dataMib, first.dataMib)];
          return (
            `| ${h.updates.toLocaleString('en')} updates | ${h.mib.toFixed(2)} MiB | ${against[0]} | ${h.codeMib.toFixed(2)} MiB | ` +
            `${h.machineCodeMib.toFixed(2)} MiB | ${h.functions.toLocaleString('en')} | ` +
            `${rest.toFixed(2)} MiB | ${against[1]} | ${h.dataMib.toFixed(2)} MiB | ${against[2]} |`
          );
        })
        .join('\n') +
      `\n\n${TOTAL_UPDATES.toLocaleString('en')} deltas at ${RATE_PER_SECOND} a second, all applied by the page, in ${seconds.toFixed(0)} s ` +
      `(measuring included); target: the heap after ${TARGET_UPDATES.toLocaleString('en')} updates (or the last, in a shorter run) within 10 % ` +
      `of the first: ${pct(atTarget.mib)}${atTarget.updates === TARGET_UPDATES ? '' : ` after ${atTarget.updates.toLocaleString('en')}`} — ` +
      `${atTarget.mib / early - 1 <= 0.1 ? 'met' : 'not met'}.`,
  );
} finally {
  clearInterval(heartbeat);
  await browser.close();
  io.close();
  http.close();
}
