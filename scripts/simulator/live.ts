import { HOUR_MS, MINUTE_MS, SECOND_MS, calendarDayOf, formatTime, toEpochMs, toWallMs } from './calendar.ts';
import { HALLS, type Hall } from './catalogue.ts';
import type { FeedRecord } from './context.ts';
import { OFFICE_HOURS as CASE_HOURS, caseMilestones } from './cross-region.ts';
import { ANY_HOUR, CHANNEL_WEIGHTS, drawRating, ratingDayWeight } from './evaluations.ts';
import { SCHEDULES, drawVisit, queueLetter, visitMilestones } from './hall.ts';
import { HOUR_WEIGHTS, ticketDayWeight, ticketMilestones } from './hotline.ts';
import { drawLiveCase, drawLiveTicket } from './live-arrivals.ts';
import { LiveBatcher, type BatchSender, type BatchStats } from './live-batcher.ts';
import { FootfallCounts, LiveIds, OnlineCounts } from './live-counters.ts';
import { DueHeap, LIVE_QUEUE_BASE, type LiveState, type PendingRecord } from './live-state.ts';
import { CHANNELS, CURRENT_YEAR_PROFILE, onlineDayWeight, onlineItems } from './online.ts';
import { Rng, poisson } from './random.ts';
import { drawCompanions } from './today.ts';
import type { FeedName } from './year.ts';
import { liveSurge, type Surge } from './surges.ts';

export { mergeLiveStates, type LiveState, type OnlineCell, type PendingRecord } from './live-state.ts';
export type { BatchSender } from './live-batcher.ts';

/**
 * A live stream of realistic events for *now*, POSTed to Pulse like the bureau's systems would: new
 * 12345 tickets (received, signed within minutes, mostly responded within the hour, completed and
 * visited later), hall visits (taken → called after a wait → served or 过号) with footfall rows per
 * 15-minute interval, today's 一网通办 counts growing as snapshot rows, a trickle of 跨域通办 cases and
 * 好差评 ratings. Busier in working hours, quiet at night, never silent for more than a minute.
 *
 * Records are batched per feed and POSTed every ~500 ms; 429/503 are retried after Retry-After with
 * the same batch and network errors with backoff — nothing is lost, nothing crashes; failures go to
 * `onError`. Like the year generator it speaks only the HTTP contract of API.md / FEEDS.md.
 */

export interface LiveStreamOptions {
  /** Pulse, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  ingestToken: string;
  /** Records per second at the busiest hour of a working day (nights are much quieter). */
  ratePerSecond: number;
  seed: number;
  /** Epoch ms; default Date.now. Injected in tests. */
  now?: () => number;
  /** Network errors, 5xx/503 answers, refused batches and rejected records; the stream goes on. */
  onError?: (error: Error) => void;
  /** Carry on from today's records or an earlier run. */
  continueFrom?: LiveState;
  /** Default 500. */
  flushIntervalMs?: number;
  /** Records per request, default 5000 (API.md allows 10,000). */
  maxBatchRecords?: number;
  /**
   * Where a batch goes; default: POSTed to `${baseUrl}/api/ingest/<feed>` with the ingest token
   * (`postBatch`). `npm run demo` with DEMO_MODE=pull hands the batches to the simulator's upstream instead.
   */
  sender?: BatchSender;
  /**
   * 未诉先办 surges in the stream (scripts/simulator/surges.ts): the first `firstAfterMs` after the start, then
   * every `everyMs`; each a burst of the quietest category in a random street over 10 minutes, sized to stand
   * out at this rate (surges.ts liveSurge). `onSurge` hears of each as it starts.
   */
  surges?: { firstAfterMs: number; everyMs: number; onSurge?: (surge: Surge) => void };
}

export interface LiveStats extends BatchStats {
  /** Records generated so far (sent, in flight or waiting). */
  generated: number;
}

export interface LiveStream {
  /** Stops generating, sends what is waiting (up to `timeoutMs`, default 5 s), then gives up the rest. */
  stop(timeoutMs?: number): Promise<void>;
  stats(): LiveStats;
  /** A checkpoint to continue from later: pending milestones, unsent records (as due now) and today's counters. */
  state(): LiveState;
}

/** Share of `ratePerSecond` per feed (in records) at the busiest hour of a working day. */
const RECORD_SHARE = { hall: 0.4, hotline: 0.25, evaluations: 0.15, online: 0.15, crossRegion: 0.003 } as const;
const RECORDS_PER_TICKET = 5;
const RECORDS_PER_VISIT = 3;
const RECORDS_PER_CASE = 2;
/** Live visits by hall kind, per hall: the stations get more than their year share, so nights are not empty. */
const LIVE_HALL_SHARE = { district: 0.6, street: 0.08, station24h: 0.08 } as const;
/** 过号 among visits (13800 of 388439 in the report's year). */
const ABANDON_SHARE = 0.035;

/** Arrivals are generated for at most this much clock time per tick (after a sleep or a jump of the clock). */
const MAX_CATCH_UP_MS = 60_000;
/** Longest the stream may stay silent: then a 24-hour station issues a number. */
const SILENCE_LIMIT_MS = 45_000;

const STATIONS = HALLS.filter((h) => h.kind === 'station24h');
const peak = (curve: readonly number[]) => Math.max(...curve);
const HOTLINE_PEAK = peak(HOUR_WEIGHTS);
const ANY_HOUR_PEAK = peak(ANY_HOUR);
const CASE_PEAK = peak(CASE_HOURS);
const iso = (wall: number) => formatTime(wall, true);

/** Starts the stream; the first batch goes out within one flush interval. */
export function startLiveStream(options: LiveStreamOptions): LiveStream {
  const stream = new LiveStreamRunner(options);
  stream.start();
  return { stop: (timeoutMs) => stream.stop(timeoutMs), stats: () => stream.statsNow(), state: () => stream.stateNow() };
}

class LiveStreamRunner {
  private readonly clock: () => number;
  private readonly rng: Rng;
  private readonly flushIntervalMs: number;
  private readonly batcher: LiveBatcher;
  private readonly heap = new DueHeap();
  private readonly abort = new AbortController();
  private generated = 0;
  private readonly recentCallers = new Map<string, string[]>();
  private readonly items: ReturnType<typeof onlineItems>;
  private readonly itemWeights: number[];
  private readonly footfall: FootfallCounts;
  private readonly online = new OnlineCounts();
  private queueNumbers = new Map<string, number>();
  private date: string;
  private lastTickMs: number;
  private lastEmitMs: number;
  /** Arrivals are never more than MAX_CATCH_UP_MS old: ids of older seconds can be forgotten. */
  private readonly ids = new LiveIds(2 * MAX_CATCH_UP_MS);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopping: Promise<void> | null = null;

  private readonly options: LiveStreamOptions;
  /** Wall time of the next injected surge (options.surges). */
  private nextSurgeWall: number | null = null;

  constructor(options: LiveStreamOptions) {
    this.options = options;
    if (!(options.ratePerSecond > 0)) throw new Error(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
    this.clock = options.now ?? Date.now;
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
    this.batcher = new LiveBatcher(
      {
        baseUrl: options.baseUrl,
        ingestToken: options.ingestToken,
        sender: options.sender,
        maxBatch: Math.min(10_000, options.maxBatchRecords ?? 5_000),
      },
      this.abort.signal,
      (err) => this.report(err),
    );
    const now = this.clock();
    this.rng = Rng.for(options.seed, `live|${now}`);
    this.items = onlineItems(options.seed);
    this.itemWeights = this.items.map((i) => i.popularity);
    this.lastTickMs = now;
    this.lastEmitMs = now;
    this.date = calendarDayOf(toWallMs(now)).date;
    const from = options.continueFrom;
    const baseAsOfSec = from ? Math.floor(from.atMs / SECOND_MS) : 0;
    if (from) {
      for (const p of from.pending) this.heap.push(p);
      if (from.date === this.date) {
        this.online.restore(from.online, baseAsOfSec);
        for (const [key, n] of Object.entries(from.queueNumbers)) this.queueNumbers.set(key, n);
      }
    }
    this.footfall = new FootfallCounts(HALLS, now, from?.footfall, baseAsOfSec);
  }

  start(): void {
    this.timer = setTimeout(() => this.loop(), 0);
  }

  private loop(): void {
    if (this.stopping) return;
    try {
      this.tick();
    } catch (err) {
      this.report(err);
    }
    this.timer = setTimeout(() => this.loop(), this.flushIntervalMs);
  }

  /** One step: arrivals since the last tick, milestones now due, footfall and online rows, then sends. */
  private tick(): void {
    const now = this.clock();
    const dtMs = Math.min(MAX_CATCH_UP_MS, Math.max(0, now - this.lastTickMs));
    this.lastTickMs = Math.max(this.lastTickMs, now);
    const nowWall = toWallMs(now);
    this.rollOver(nowWall);
    if (dtMs > 0) this.arrive(nowWall - dtMs, nowWall);
    this.releaseDue(now);
    this.footfallRows(now);
    this.onlineRows(now);
    if (now - this.lastEmitMs >= SILENCE_LIMIT_MS) this.visit(this.rng.pick(STATIONS), nowWall, nowWall);
    this.batcher.flush();
  }

  private rollOver(nowWall: number): void {
    const date = calendarDayOf(nowWall).date;
    if (date === this.date) return;
    this.onlineRows(toEpochMs(nowWall), true);
    this.online.clear();
    this.queueNumbers = new Map();
    this.date = date;
  }

  /** Poisson arrivals of every kind of event in (fromWall, toWall], never before today's midnight. */
  private arrive(fromWall: number, toWall: number): void {
    const day = calendarDayOf(toWall);
    // Across midnight the day's counters (queue numbers, online rows) are the new day's.
    fromWall = Math.max(fromWall, day.startMs);
    if (fromWall >= toWall) return;
    const hour = new Date(toWall).getUTCHours();
    const minute = hour * 60 + new Date(toWall).getUTCMinutes();
    const seconds = (toWall - fromWall) / SECOND_MS;
    const at = () => fromWall + Math.max(1, Math.floor(this.rng.next() * (toWall - fromWall)));
    const times = (perSecond: number, make: (wall: number) => void) => {
      const n = poisson(this.rng, perSecond * seconds);
      for (let i = 0; i < n; i++) make(at());
    };
    const r = this.options.ratePerSecond;
    this.maybeSurge(toWall);
    times(((r * RECORD_SHARE.hotline) / RECORDS_PER_TICKET) * (HOUR_WEIGHTS[hour]! / HOTLINE_PEAK) * ticketDayWeight(day), (a) =>
      this.ticket(a, toWall),
    );
    for (const hall of HALLS) {
      const weight = this.hallWeight(hall, toWall);
      if (weight > 0)
        times(((r * RECORD_SHARE.hall) / RECORDS_PER_VISIT) * LIVE_HALL_SHARE[hall.kind] * weight, (a) => this.visit(hall, a, toWall));
    }
    const anyHour = ANY_HOUR[hour]! / ANY_HOUR_PEAK;
    times(r * RECORD_SHARE.evaluations * anyHour * ratingDayWeight(day), (a) => this.rating(a));
    times(r * RECORD_SHARE.online * anyHour * onlineDayWeight(CURRENT_YEAR_PROFILE, day), (a) => this.onlineCase(a));
    if (day.kind === 'workday' && minute >= 8 * 60 + 30 && minute < 17 * 60 + 30) {
      times(((r * RECORD_SHARE.crossRegion) / RECORDS_PER_CASE) * (CASE_HOURS[hour]! / CASE_PEAK), (a) => this.crossRegionCase(a, toWall));
    }
  }

  /** Relative arrival rate at a hall now (0 while closed); the 24-hour stations never close. */
  private hallWeight(hall: Hall, wall: number): number {
    const s = SCHEDULES[hall.kind];
    const day = calendarDayOf(wall);
    const minute = Math.floor((wall - day.startMs) / MINUTE_MS);
    const hour = Math.floor(minute / 60);
    if (hall.kind === 'station24h') return (Math.max(0.05, s.hourWeights[hour]!) / peak(s.hourWeights)) * s.dayWeight[day.kind];
    if (minute < s.fromMinute || minute >= s.toMinute) return 0;
    return (s.hourWeights[hour]! / peak(s.hourWeights)) * s.dayWeight[day.kind];
  }

  private districtHallOpen(wall: number): boolean {
    return this.hallWeight(HALLS[0]!, wall) > 0;
  }

  /** Starts a surge when its time has come: its tickets arrive over the next 10 minutes. */
  private maybeSurge(nowWall: number): void {
    const plan = this.options.surges;
    if (!plan) return;
    this.nextSurgeWall ??= nowWall + plan.firstAfterMs;
    if (nowWall < this.nextSurgeWall) return;
    this.nextSurgeWall = nowWall + plan.everyMs;
    const surge = liveSurge(this.rng, nowWall, ((this.options.ratePerSecond * RECORD_SHARE.hotline) / RECORDS_PER_TICKET) * 3_600);
    for (let i = 0; i < surge.tickets; i++) this.ticket(nowWall + Math.floor(this.rng.next() * surge.hours * HOUR_MS), nowWall, surge);
    plan.onSurge?.(surge);
  }

  private ticket(arrival: number, nowWall: number, where?: Pick<Surge, 'category' | 'street'>): void {
    const t = drawLiveTicket(this.rng, arrival, this.recentCallers, where);
    const id = this.ids.next('HL', arrival, 2);
    this.schedule('hotline', ticketMilestones(this.rng, id, t), nowWall, (record) => {
      if (record.deadline !== undefined && t.deadline !== undefined) record.deadline = iso(t.deadline);
    });
  }

  private visit(hall: Hall, arrival: number, nowWall: number): void {
    const service = this.rng.pick(hall.services);
    const letter = queueLetter(service);
    const key = `${hall.name}|${letter}`;
    const n = Math.max(LIVE_QUEUE_BASE, this.queueNumbers.get(key) ?? 0) + 1;
    this.queueNumbers.set(key, n);
    const day = calendarDayOf(arrival);
    const visit = drawVisit(
      this.rng,
      hall,
      service,
      arrival,
      day.startMs + 24 * 60 * MINUTE_MS - SECOND_MS,
      !this.rng.chance(ABANDON_SHARE),
    );
    this.footfall.add(hall.name, 1 + drawCompanions(this.rng));
    this.schedule('hall', visitMilestones(this.rng, hall, visit, `${letter}${n}`), nowWall);
  }

  private rating(arrival: number): void {
    let channel = CHANNEL_WEIGHTS[this.rng.weightedIndex(CHANNEL_WEIGHTS.map(([, w]) => w))]![0];
    if ((channel === 'window' || channel === 'kiosk') && !this.districtHallOpen(arrival)) channel = 'mobile';
    const id = this.ids.next('HCP', arrival, 3);
    const { record } = drawRating(this.rng, id, arrival, channel);
    record.at = iso(arrival);
    this.emit('evaluations', record, this.clock());
  }

  /** One more 办件 on an item and channel (window and self-service only while the hall is open). */
  private onlineCase(arrival: number): void {
    const item = this.items[this.rng.weightedIndex(this.itemWeights)]!;
    let channel = CHANNELS[this.rng.weightedIndex(CHANNELS.map((c) => CURRENT_YEAR_PROFILE.channelMix[c]))]!;
    if ((channel === 'window' || channel === 'self_service') && !this.districtHallOpen(arrival)) channel = 'mobile';
    this.online.add({
      itemCode: item.itemCode,
      itemName: item.itemName,
      department: item.department,
      channel,
      fullyOnline: item.fullyOnline && (channel === 'pc' || channel === 'mobile'),
    });
  }

  private crossRegionCase(arrival: number, nowWall: number): void {
    const c = drawLiveCase(this.rng, arrival);
    const id = this.ids.next('KY', arrival, 2);
    this.schedule('crossRegion', caseMilestones(this.rng, id, c), nowWall);
  }

  /** Sends the milestones that have happened, keeps the others for later; times written with +08:00. */
  private schedule(
    feed: FeedName,
    milestones: { atMs: number; record: FeedRecord }[],
    nowWall: number,
    fix?: (record: FeedRecord) => void,
  ): void {
    for (const { atMs, record } of milestones) {
      record.at = iso(atMs);
      fix?.(record);
      if (atMs <= nowWall) this.emit(feed, record, toEpochMs(nowWall));
      else this.heap.push({ feed, dueMs: toEpochMs(atMs), record });
    }
  }

  private releaseDue(now: number): void {
    for (let p = this.heap.popDue(now); p; p = this.heap.popDue(now)) this.emit(p.feed, p.record, now);
  }

  private emit(feed: FeedName, record: FeedRecord, now: number): void {
    this.batcher.push(feed, record);
    this.generated += 1;
    this.lastEmitMs = Math.max(this.lastEmitMs, now);
  }

  /** Footfall rows: staffed halls report their open intervals even when nobody came. */
  private footfallRows(now: number): void {
    const reported = (hall: Hall, atMs: number) => hall.kind !== 'station24h' && this.hallWeight(hall, toWallMs(atMs)) > 0;
    for (const row of this.footfall.rows(now, reported)) this.emit('hall', row, now);
  }

  private onlineRows(now: number, final = false): void {
    for (const row of this.online.rows(this.date, now, final)) this.emit('online', row, now);
  }

  private report(err: unknown): void {
    try {
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    } catch {
      // A failing error handler must not stop the stream.
    }
  }

  stop(timeoutMs = 5_000): Promise<void> {
    this.stopping ??= (async () => {
      if (this.timer) clearTimeout(this.timer);
      const now = Math.max(this.clock(), this.lastTickMs);
      this.releaseDue(now);
      this.onlineRows(now, true);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        this.batcher.flush();
        const sending = this.batcher.sending();
        if (sending.length === 0) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        await Promise.race([Promise.all(sending), new Promise((resolve) => setTimeout(resolve, left))]);
      }
      this.abort.abort(new Error('live stream stopped'));
      await Promise.all(this.batcher.sending());
    })();
    return this.stopping;
  }

  statsNow(): LiveStats {
    return { ...this.batcher.stats, generated: this.generated };
  }

  stateNow(): LiveState {
    const now = Math.max(this.clock(), this.lastTickMs);
    const unsent: PendingRecord[] = this.batcher.unsent().map(({ feed, record }) => ({ feed, dueMs: now, record }));
    return {
      atMs: now,
      date: this.date,
      pending: [...unsent, ...[...this.heap.items].sort((a, b) => a.dueMs - b.dueMs)],
      online: this.online.state(),
      footfall: this.footfall.state(),
      queueNumbers: Object.fromEntries(this.queueNumbers),
      clean: this.stopping !== null,
    };
  }
}
