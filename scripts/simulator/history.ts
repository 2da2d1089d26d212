import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { FeedRecord } from './context.ts';
import { postBatch, sleep } from './ingest-client.ts';
import { FEEDS, generatePreviousYearOnline, generateYear, type FeedName } from './year.ts';

/**
 * Sends generated history to a running Pulse over HTTP, as an outside system would: every record of the
 * days `from`–`to` (local dates) of the years they fall in, at `scale`, in batches per feed taken in turn.
 * When the range starts on 1 January, the year before's 一网通办 rows come too (for 同比 figures), and
 * that first year's tickets go last — so "the first year has hotline figures" means everything was queued.
 * 429 and 503 are waited out; with a manager token the sender also keeps Pulse's backlog short, so live
 * data sent meanwhile is applied without delay.
 *
 *   PULSE_URL=http://127.0.0.1:3000 PULSE_INGEST_TOKEN=… [PULSE_MANAGER_TOKEN=…] \
 *     node scripts/simulator/history.ts --from 2025-01-01 --to 2026-11-26 [--scale 0.2] [--seed 2022]
 *
 * Prints a progress line every few seconds; exits 0 when all is sent, 2 when stopped (SIGINT/SIGTERM,
 * or the parent process gone), 1 on error.
 */

export interface HistoryOptions {
  baseUrl: string;
  ingestToken: string;
  /** A manager's bearer token: enables keeping the backlog short (GET /api/ingest/status). */
  managerToken?: string | null;
  /** First and last local date, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  seed: number;
  scale: number;
  signal?: AbortSignal;
  /** Called when generated (total known) and after each batch. */
  onProgress?: (progress: { sent: number; total: number }) => void;
}

interface Batch {
  feed: FeedName;
  events: FeedRecord[];
}

const BATCH_RECORDS = 5_000;
/**
 * History tickets go in smaller batches: a hotline batch whose ~450 tickets spread over a year overflows
 * Pulse's worker stack (core/ingest/apply-service.ts spreads every Lua argument into one call).
 */
const HOTLINE_BATCH_RECORDS = 1_000;
const SENDERS = 2;
/** With a manager token, wait while more batches than this wait to be applied. */
const MAX_WAITING_JOBS = 8;

/** The local day a record belongs to (online rows by `date`, the others by `at`, written in local time). */
const recordDate = (feed: FeedName, r: FeedRecord) => String(feed === 'online' ? r.date : r.at).slice(0, 10);

function toBatches(feed: FeedName, records: readonly FeedRecord[]): Batch[] {
  const size = feed === 'hotline' ? HOTLINE_BATCH_RECORDS : BATCH_RECORDS;
  const out: Batch[] = [];
  for (let i = 0; i < records.length; i += size) out.push({ feed, events: records.slice(i, i + size) });
  return out;
}

/** Batches of several feeds taken in turn, so every feed fills from the start. */
function interleave(lists: Batch[][]): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** The batches of the range, in sending order (see the module comment). */
export function historyBatches(options: Pick<HistoryOptions, 'from' | 'to' | 'seed' | 'scale'>): Batch[] {
  const { from, to, seed, scale } = options;
  const firstYear = Number(from.slice(0, 4));
  const early: Batch[][] = [];
  const later: Batch[][] = [];
  const last: Batch[] = [];
  if (from.endsWith('-01-01')) early.push(toBatches('online', generatePreviousYearOnline({ year: firstYear, seed, scale }).records));
  for (let year = firstYear; year <= Number(to.slice(0, 4)); year++) {
    const { feeds } = generateYear({ year, seed, scale });
    for (const feed of FEEDS) {
      const batches = toBatches(
        feed,
        feeds[feed].filter((r) => recordDate(feed, r) >= from && recordDate(feed, r) <= to),
      );
      if (year === firstYear && feed === 'hotline' && from.endsWith('-01-01')) last.push(...batches);
      else (year === firstYear ? early : later).push(batches);
    }
  }
  // The most recent year first (the charts a user looks at), the first year after it, its tickets last.
  return [...interleave(later), ...interleave(early), ...last];
}

/** Generates and sends the history; resolves with what was sent, rejects when aborted or refused. */
export async function sendHistory(options: HistoryOptions): Promise<{ total: number; seconds: number }> {
  const { signal, managerToken } = options;
  const queue = historyBatches(options);
  const total = queue.reduce((n, b) => n + b.events.length, 0);
  const startedAt = performance.now();
  let sent = 0;
  options.onProgress?.({ sent, total });

  let waitingCheckedAt = 0;
  let waiting = 0;
  const backlogShort = async () => {
    if (!managerToken) return;
    for (;;) {
      if (Date.now() - waitingCheckedAt > 500) {
        waiting = await waitingJobs(options.baseUrl, managerToken);
        waitingCheckedAt = Date.now();
      }
      if (waiting < MAX_WAITING_JOBS) return;
      await sleep(250, signal);
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < queue.length) {
        signal?.throwIfAborted();
        const batch = queue[next++]!;
        await backlogShort();
        waiting += 1;
        const answer = await postBatch({
          baseUrl: options.baseUrl,
          ingestToken: options.ingestToken,
          feed: batch.feed,
          events: batch.events,
          ...(signal && { signal }),
        });
        if (answer.rejected.length > 0) {
          const first = answer.rejected[0]!;
          throw new Error(
            `${batch.feed}: ${answer.rejected.length} records rejected, e.g. ${JSON.stringify(batch.events[first.index])}: ${first.errors.join('; ')}`,
          );
        }
        sent += batch.events.length;
        options.onProgress?.({ sent, total });
      }
    }),
  );
  return { total, seconds: (performance.now() - startedAt) / 1000 };
}

/** Batches waiting to be applied, over all feeds (0 when the status cannot be read). */
async function waitingJobs(baseUrl: string, managerToken: string): Promise<number> {
  try {
    const res = await fetch(`${baseUrl}/api/ingest/status`, { headers: { authorization: `Bearer ${managerToken}` } });
    if (!res.ok) return 0;
    const status = (await res.json()) as { feeds: Record<string, { waiting: number }> };
    return Object.values(status.feeds).reduce((n, c) => n + c.waiting, 0);
  } catch {
    return 0;
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      seed: { type: 'string', default: '2022' },
      scale: { type: 'string', default: '0.2' },
      help: { type: 'boolean' },
    },
  });
  const baseUrl = process.env.PULSE_URL;
  const ingestToken = process.env.PULSE_INGEST_TOKEN;
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (values.help || !baseUrl || !ingestToken || !day.test(values.from ?? '') || !day.test(values.to ?? '')) {
    (values.help ? process.stdout : process.stderr).write(
      'usage: PULSE_URL=… PULSE_INGEST_TOKEN=… [PULSE_MANAGER_TOKEN=…] node scripts/simulator/history.ts --from YYYY-MM-DD --to YYYY-MM-DD [--scale 0.2] [--seed 2022]\n',
    );
    return values.help ? 0 : 1;
  }
  const stop = new AbortController();
  const abort = () => stop.abort(new Error('stopped'));
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  process.on('disconnect', abort); // the demo that forked this process is gone
  let progress = { sent: 0, total: 0 };
  const generating = performance.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const { total, seconds } = await sendHistory({
      baseUrl,
      ingestToken,
      managerToken: process.env.PULSE_MANAGER_TOKEN || null,
      from: values.from!,
      to: values.to!,
      seed: Number(values.seed),
      scale: Number(values.scale),
      signal: stop.signal,
      onProgress: (p) => {
        if (!timer) {
          say(
            `历史数据 history: sending ${p.total} records (${values.from} – ${values.to}, scale ${values.scale}), generated in ${Math.round(performance.now() - generating)} ms`,
          );
          timer = setInterval(() => say(`历史数据 history: ${progress.sent}/${progress.total} records`), 5_000);
        }
        progress = p;
      },
    });
    say(`历史数据 history: done, ${total} records in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} records/s)`);
    return 0;
  } catch (err) {
    if (stop.signal.aborted) {
      say(`历史数据 history: stopped at ${progress.sent}/${progress.total} records`);
      return 2;
    }
    process.stderr.write(`历史数据 history: ${(err as Error).message}\n`);
    return 1;
  } finally {
    clearInterval(timer);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
  if (process.connected) process.disconnect?.(); // let a forked sender exit
}
