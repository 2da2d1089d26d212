/**
 * `npm run demo`: Pulse as `npm start` runs it, plus the simulator speaking to it over HTTP — today's
 * records first (the wall is full within seconds), then a live stream, and in the background a year of
 * history (last calendar year and this one up to yesterday) from a child process (scripts/simulator/
 * history.ts), so generating it never stalls the server. Ctrl-C stops the stream, then the history, then Pulse.
 *
 *   DEMO_RATE           live records a second at the busiest hour (default 20)
 *   DEMO_HISTORY_SCALE  history magnitude, 1 = the 2022 report (default 0.2; 0 = no history)
 *   DEMO_SEED           simulator seed (default 2022)
 *   BUREAU_NAME         the bureau's name at the first start (default here: the seed report's, 长沙市芙蓉区行政审批服务局)
 *   DEMO_MODE           `push` (default): the simulator POSTs to /api/ingest; `pull`: the simulator serves its
 *                       feeds as an upstream HTTP export interface (scripts/simulator/upstream.ts) and a drop
 *                       folder, and Pulse's connectors fetch them — the figures are the same either way
 *
 * In pull mode the demo writes `DATA_DIR/demo-connectors.json` (one HTTP connector per feed, page cursor,
 * polled every 2 s, plus a drop folder for the hall's queue log at `DATA_DIR/drop/hall`) and points
 * CONNECTORS_FILE at it before Pulse starts; today's hall queue records arrive as a CSV export in the drop
 * folder, everything else of today and the whole live stream through the upstream. The history is still
 * sent by its child process over HTTP in both modes.
 *
 * Files under DATA_DIR: `demo-history.json` (which days of history this store has, so a second run sends
 * only the days since) and `demo-live.json` (the live stream's state at stop: its open tickets, queue
 * numbers and today's counts, so a restart carries on rather than starting over).
 */
import { fork } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printOnce, startAllInOne } from '../all-in-one/all-in-one.ts';
import type { Config } from '../core/platform/config.ts';
import { parseCli } from '../core/platform/cli.ts';
import { runProcess } from '../core/platform/lifecycle.ts';
import type { Logger } from '../core/platform/logger.ts';
import { DAY_MS, calendarDayOf, dateOf, toWallMs } from './simulator/calendar.ts';
import { BUREAU } from './simulator/catalogue.ts';
import { demoWallToken, getJson, managerToken, readJson, seedReferenceData, writeJson } from './demo-api.ts';
import { postBatch } from './simulator/ingest-client.ts';
import { mergeLiveStates, startLiveStream, type BatchSender, type LiveState } from './simulator/live.ts';
import { generateToday } from './simulator/today.ts';
import { dropHallQueueCsv, isFootfall, pullConnectors, startUpstream, type Upstream } from './simulator/upstream.ts';
import { FEEDS, type FeedName, type FeedRecord } from './simulator/year.ts';

const BATCH_RECORDS = 5_000;
/** The live state is saved this often (and at stop), so even a crash loses only a few seconds of it. */
const CHECKPOINT_EVERY_MS = 15_000;
const LIVE_REPORT_EVERY_MS = 60_000;
/** How long the history sender may take to stop before it is killed. */
const HISTORY_STOP_MS = 5_000;

/** Connector schedule in pull mode. */
const PULL_INTERVAL_SECONDS = 2;

type DemoMode = 'push' | 'pull';

interface DemoSettings {
  rate: number;
  historyScale: number;
  seed: number;
  mode: DemoMode;
}

/** What `demo-history.json` records: which store, and the last day of history it holds. */
interface HistoryMarker {
  store: string;
  seed: number;
  scale: number;
  coveredThrough: string;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** DEMO_* variables, every bad one named in one error. */
function demoSettings(env: NodeJS.ProcessEnv): DemoSettings {
  const problems: string[] = [];
  const number = (name: string, fallback: number, ok: (n: number) => boolean, rule: string) => {
    const text = env[name]?.trim() || String(fallback);
    const n = Number(text);
    if (!Number.isFinite(n) || !ok(n)) problems.push(`${name} ${rule} (got "${text}")`);
    return n;
  };
  const settings = {
    rate: number('DEMO_RATE', 20, (n) => n > 0 && n <= 5_000, 'must be a number of records a second, above 0 and at most 5000'),
    historyScale: number('DEMO_HISTORY_SCALE', 0.2, (n) => n >= 0 && n <= 10, 'must be from 0 (no history) to 10'),
    seed: number('DEMO_SEED', 2022, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'must be a whole number ≥ 0'),
    mode: (env.DEMO_MODE?.trim().toLowerCase() || 'push') as DemoMode,
  };
  if (settings.mode !== 'push' && settings.mode !== 'pull') problems.push(`DEMO_MODE must be push or pull (got "${env.DEMO_MODE}")`);
  if (problems.length > 0) throw new Error(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return settings;
}

const localDate = (epochMs: number) => calendarDayOf(toWallMs(epochMs)).date;
const nextDate = (date: string) => dateOf(Date.parse(`${date}T00:00:00Z`) + DAY_MS);

interface HistoryContext {
  baseUrl: string;
  ingestToken: string;
  token: string | null;
  settings: DemoSettings;
  markerPath: string;
  store: string;
}

/** The history sender: a child process speaking HTTP to Pulse (generating a year takes seconds of CPU). */
interface HistoryRun {
  /** True when the store holds the history through yesterday (sent now or before). */
  done: Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts sending the history this store lacks: on the first run last year and this year up to
 * yesterday, on later runs the days since the last (DATA_DIR/demo-history.json). Without that file but
 * with a manager token, a store whose last year already has hotline figures is taken as done.
 */
async function startHistory(ctx: HistoryContext): Promise<HistoryRun> {
  const { settings } = ctx;
  const yesterday = localDate(Date.now() - DAY_MS);
  const thisYear = Number(localDate(Date.now()).slice(0, 4));
  const finished = (done: boolean): HistoryRun => ({ done: Promise.resolve(done), stop: async () => undefined });
  const marker = await readJson<HistoryMarker>(ctx.markerPath);
  let from = `${thisYear - 1}-01-01`;
  let scale = settings.historyScale;
  if (marker && marker.store === ctx.store) {
    if (marker.coveredThrough >= yesterday) {
      say(`历史数据 history: already in this store (through ${marker.coveredThrough}), not sent again`);
      return finished(true);
    }
    from = nextDate(marker.coveredThrough);
    scale = marker.scale;
  } else if (ctx.token) {
    const kpis = await getJson<{ kpis: Record<string, { value: number | null }> }>(
      ctx.baseUrl,
      `/api/kpis?from=${thisYear - 1}-01-01&to=${thisYear - 1}-12-31`,
      ctx.token,
    );
    const signed = kpis?.kpis['hotline.signed']?.value ?? 0;
    if (signed > 0) {
      say(`历史数据 history: ${thisYear - 1} already has ${signed} signed tickets in this store, not sent again`);
      await writeJson(ctx.markerPath, { store: ctx.store, seed: settings.seed, scale, coveredThrough: yesterday } satisfies HistoryMarker);
      return finished(true);
    }
  }
  if (scale <= 0) return finished(false);

  const child = fork(
    fileURLToPath(new URL('./simulator/history.ts', import.meta.url)),
    ['--from', from, '--to', yesterday, '--seed', String(settings.seed), '--scale', String(scale)],
    {
      env: { ...process.env, PULSE_URL: ctx.baseUrl, PULSE_INGEST_TOKEN: ctx.ingestToken, PULSE_MANAGER_TOKEN: ctx.token ?? '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const done = exited.then(async (code) => {
    if (code !== 0) return false;
    await writeJson(ctx.markerPath, { store: ctx.store, seed: settings.seed, scale, coveredThrough: yesterday } satisfies HistoryMarker);
    return true;
  });
  return {
    done,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), HISTORY_STOP_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Today's records, all feeds at once, waiting out 429 like any sender. */
async function sendToday(baseUrl: string, ingestToken: string, feeds: Record<FeedName, FeedRecord[]>): Promise<number> {
  let sent = 0;
  await Promise.all(
    FEEDS.map(async (feed) => {
      for (let i = 0; i < feeds[feed].length; i += BATCH_RECORDS) {
        const events = feeds[feed].slice(i, i + BATCH_RECORDS);
        await postBatch({ baseUrl, ingestToken, feed, events });
        sent += events.length;
      }
    }),
  );
  return sent;
}

/** Today's records in pull mode: the hall's queue log into the drop folder, everything else to the upstream. */
async function offerToday(upstream: Upstream, hallDropDir: string, date: string, feeds: Record<FeedName, FeedRecord[]>): Promise<number> {
  let offered = 0;
  for (const feed of FEEDS) {
    const records = feed === 'hall' ? feeds.hall.filter(isFootfall) : feeds[feed];
    upstream.add(feed, records);
    offered += records.length;
  }
  // The same day's file again on a second run is a duplicate file: the connector moves it to done/ unread.
  await dropHallQueueCsv(hallDropDir, `hall-queue-${date}`, feeds.hall);
  return offered + feeds.hall.filter((r) => !isFootfall(r)).length;
}

/** The live stream's sender in pull mode: batches are appended to the upstream's lists, for the connectors to fetch. */
const upstreamSender =
  (upstream: Upstream): BatchSender =>
  async ({ feed, events }) => {
    upstream.add(feed, events);
    return { accepted: events.length, rejected: [], batchId: null };
  };

/** onError of the live stream: each distinct message at most once a minute. */
function throttledWarn(log: Logger): (err: Error) => void {
  const lastAt = new Map<string, number>();
  return (err) => {
    const key = err.message.slice(0, 80);
    if (Date.now() - (lastAt.get(key) ?? 0) < 60_000) return;
    lastAt.set(key, Date.now());
    log.warn({ err: err.message }, 'live stream: retrying');
  };
}

async function startDemo(config: Config, log: Logger): Promise<() => Promise<void>> {
  const settings = demoSettings(process.env);
  const startedAt = performance.now();
  // Pull mode: the upstream and the connectors file exist before Pulse starts (its worker reads CONNECTORS_FILE at start).
  let upstream: Upstream | null = null;
  const hallDropDir = resolve(config.DATA_DIR, 'drop', 'hall');
  if (settings.mode === 'pull') {
    await mkdir(hallDropDir, { recursive: true });
    upstream = await startUpstream({ host: '127.0.0.1' });
    const connectorsPath = join(config.DATA_DIR, 'demo-connectors.json');
    await writeJson(connectorsPath, pullConnectors(upstream.url, hallDropDir, { intervalSeconds: PULL_INTERVAL_SECONDS }));
    process.env.CONNECTORS_FILE = connectorsPath;
    say(
      `拉取 pull mode: the simulator serves its feeds at ${upstream.url}/<feed> and drops the hall's queue log into ${hallDropDir}; connectors in ${connectorsPath}`,
    );
  }
  let pulse: Awaited<ReturnType<typeof startAllInOne>>;
  try {
    // The demo's bureau is the seed report's, unless BUREAU_NAME says otherwise (a stored name is kept).
    pulse = await startAllInOne({ ...config, BUREAU_NAME: config.BUREAU_NAME ?? BUREAU }, log);
  } catch (err) {
    await upstream?.close();
    throw err;
  }
  const { port, ingestToken } = pulse.server;
  printOnce(pulse.server);
  const host = ['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await mkdir(config.DATA_DIR, { recursive: true });
  const adminToken = await managerToken(baseUrl, config.ADMIN_PASSWORD ?? pulse.server.generated.adminPassword);
  const wallToken = await demoWallToken(baseUrl, adminToken, join(config.DATA_DIR, 'demo-wall.json'));
  if (adminToken) await seedReferenceData(baseUrl, adminToken);
  say(
    `  控制台 Console:      http://localhost:${port}/console — sign in as admin${pulse.server.generated.adminPassword ? ' (password above)' : ''}`,
  );
  say(
    wallToken
      ? `  大屏 Wall display:   http://localhost:${port}/wall?token=${encodeURIComponent(wallToken)}&kiosk=1\n`
      : `  大屏 Wall display:   http://localhost:${port}/wall — sign in, or create a display token under 系统管理 → 大屏令牌\n`,
  );
  const store = `${pulse.redisUrl}#${config.REDIS_PREFIX}`;
  const checkpointPath = join(config.DATA_DIR, 'demo-live.json');
  const markerPath = join(config.DATA_DIR, 'demo-history.json');

  // (a) Today, so the wall is full at once.
  const today = generateToday({ now: Date.now(), seed: settings.seed, scale: 1 });
  if (upstream) {
    const offered = await offerToday(upstream, hallDropDir, today.date, today.feeds);
    say(
      `今日数据 today: ${offered} records up to now offered to the connectors (${Math.round(performance.now() - startedAt)} ms after start; fetched within ~${PULL_INTERVAL_SECONDS * 2} s)`,
    );
  } else {
    const todaySent = await sendToday(baseUrl, ingestToken, today.feeds);
    say(`今日数据 today: ${todaySent} records up to now sent (${Math.round(performance.now() - startedAt)} ms after start)`);
  }

  // (b) The live stream, carrying on from today — and from the last run's checkpoint, when it used this store.
  const saved = await readJson<{ store: string; state: LiveState }>(checkpointPath);
  const continueFrom = saved?.store === store ? mergeLiveStates(today.live, saved.state) : today.live;
  const stream = startLiveStream({
    baseUrl,
    ingestToken,
    ratePerSecond: settings.rate,
    seed: settings.seed,
    continueFrom,
    onError: throttledWarn(log),
    ...(upstream && { sender: upstreamSender(upstream) }),
    // 未诉先办: a surge two minutes in (raised some minutes later), then every 20 minutes, so the wall's 热点预警 shows one appear.
    surges: {
      firstAfterMs: 2 * 60_000,
      everyMs: 20 * 60_000,
      onSurge: (s) => say(`热点 surge: ${s.category} · ${s.street}, ${s.tickets} tickets in 10 min`),
    },
  });
  say(
    `实时 live: ${settings.rate} records/s at the busiest hour, ${continueFrom.pending.length} milestones of open tickets and visits to come`,
  );
  const saveCheckpoint = () =>
    writeJson(checkpointPath, { store, state: stream.state() }).catch((err: Error) =>
      log.warn({ err: err.message }, 'could not save the live state'),
    );
  void saveCheckpoint();
  const checkpoints = setInterval(() => void saveCheckpoint(), CHECKPOINT_EVERY_MS);
  const liveReport = setInterval(() => {
    const s = stream.stats();
    say(`实时 live: ${s.sent} records sent, ${s.accepted} accepted, ${s.rejected} rejected, ${s.retries} retries`);
  }, LIVE_REPORT_EVERY_MS);

  // (c) History in the background, from a process of its own.
  const token = adminToken;
  const history = await startHistory({ baseUrl, ingestToken, token, settings, markerPath, store });

  return async () => {
    clearInterval(checkpoints);
    clearInterval(liveReport);
    await stream.stop();
    await saveCheckpoint();
    const s = stream.stats();
    say(`实时 live: stopped after ${s.sent} records sent (${s.accepted} accepted, ${s.rejected} rejected, ${s.retries} retries)`);
    await history.stop();
    const historyComplete = await history.done;
    // The days the stream ran are covered too: the next run's history starts after them.
    const marker = historyComplete ? await readJson<HistoryMarker>(markerPath) : null;
    if (marker?.store === store && marker.coveredThrough < localDate(Date.now())) {
      await writeJson(markerPath, { ...marker, coveredThrough: localDate(Date.now()) }).catch(() => undefined);
    }
    await pulse.close();
    await upstream?.close();
  };
}

parseCli({
  command: 'npm run demo',
  usage: `usage: npm run demo

Pulse as npm start runs it, fed by the simulator: today's records, a live stream and a year of history.
  DEMO_RATE=20  DEMO_HISTORY_SCALE=0.2 (0: none)  DEMO_SEED=2022  DEMO_MODE=push|pull (pull: Pulse's connectors fetch)
Ctrl-C stops the stream, the history, then Pulse. Server configuration as for npm start (README.md).`,
  options: {},
});
await runProcess('pulse-demo', startDemo);
