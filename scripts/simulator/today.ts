import {
  DAY_MS,
  MINUTE_MS,
  SECOND_MS,
  calendarDayOf,
  drawSecondOfDay,
  formatTime,
  toEpochMs,
  toWallMs,
  yearWeightSum,
  type CalendarDay,
} from './calendar.ts';
import { HALLS, type Hall } from './catalogue.ts';
import type { FeedRecord } from './context.ts';
import { CASES_PER_YEAR, caseMilestones, drawCase } from './cross-region.ts';
import { ANY_HOUR, CHANNEL_WEIGHTS, OFFICE_HOURS, RATINGS_PER_YEAR, drawRating, ratingDayWeight } from './evaluations.ts';
import {
  ABANDONED_PER_YEAR,
  MONTH_WEIGHTS as HALL_MONTH_WEIGHTS,
  SCHEDULES,
  SERVED_PER_YEAR,
  dayVisits,
  queueLetter,
  visitMilestones,
} from './hall.ts';
import { TICKETS_PER_YEAR, drawTicket, settleTicket, ticketDayWeight, ticketMilestones } from './hotline.ts';
import type { LiveState, OnlineCell, PendingRecord } from './live-state.ts';
import { AVERAGE_ROW_COUNT, CHANNELS, CURRENT_YEAR_PROFILE, onlineDayWeight, onlineItems, type Channel } from './online.ts';
import { Rng, allocate } from './random.ts';
import { FEEDS, type FeedName } from './year.ts';

/**
 * Today's records, from local midnight (Asia/Shanghai) up to `now`, so a wall display is full the moment
 * a demo starts — and the state the live stream continues from (milestones still due, today's online
 * counts, the current footfall interval).
 *
 * Each day is a model of its own, seeded by `{ seed, date, scale }` and independent of `now`: calling
 * again later the same day re-sends the same records (duplicates, which change nothing) plus what has
 * happened since. Tickets and cross-region cases of the previous 30 / 20 days that are still active today
 * come with their whole lifecycle so far, so Pulse knows them as open; their later milestones are pending.
 */

export interface TodayOptions {
  /** The instant to generate up to (epoch ms or Date). */
  now: number | Date;
  /** Default 2022. */
  seed?: number;
  /** 1 = the 2022 report's daily magnitudes (default). */
  scale?: number;
}

export interface GeneratedToday {
  /** Local date `YYYY-MM-DD`. */
  date: string;
  /** Records per feed with a time at or before `now`, in time order. */
  feeds: Record<FeedName, FeedRecord[]>;
  /** Where `startLiveStream({ continueFrom })` carries on. */
  live: LiveState;
}

/** How far back tickets and cases are modelled, so the ones still open today are known. */
const HOTLINE_LOOKBACK_DAYS = 30;
const CROSS_REGION_LOOKBACK_DAYS = 20;
const FOOTFALL_INTERVAL_MS = 15 * MINUTE_MS;

interface Timed {
  atMs: number;
  record: FeedRecord;
}

const compact = (date: string) => date.replaceAll('-', '');

/** floor(x) plus one with probability frac(x): whole numbers averaging x. */
function roundRandom(rng: Rng, x: number): number {
  const whole = Math.floor(x);
  return whole + (rng.next() < x - whole ? 1 : 0);
}

/** The number of records of one day: the year's total × scale × the day's share of the year's weight, ±15 %. */
function dayCount(rng: Rng, perYear: number, scale: number, day: CalendarDay, weight: (d: CalendarDay) => number): number {
  const share = weight(day) / yearWeightSum(Number(day.date.slice(0, 4)), weight);
  return roundRandom(rng, perYear * scale * share * rng.float(0.85, 1.15));
}

/** People entering with a visitor beyond the one taking a number (companions). */
export function drawCompanions(rng: Rng): number {
  return rng.chance(0.3) ? (rng.chance(0.2) ? 2 : 1) : 0;
}

/** The fraction (0–1) of a day's volume on a channel that has come in by `minuteOfDay`. */
export function dayFractionBy(channel: Channel, minuteOfDay: number): number {
  const curve = channel === 'pc' || channel === 'mobile' ? ANY_HOUR : OFFICE_HOURS;
  let total = 0;
  let done = 0;
  for (let h = 0; h < 24; h++) {
    total += curve[h]!;
    done += curve[h]! * Math.min(1, Math.max(0, (minuteOfDay - h * 60) / 60));
  }
  return total > 0 ? done / total : 0;
}

const hallDayWeight = (hall: Hall) => (day: CalendarDay) => HALL_MONTH_WEIGHTS[day.month - 1]! * SCHEDULES[hall.kind].dayWeight[day.kind];
const hallWeights = new Map(HALLS.map((h) => [h.name, hallDayWeight(h)]));
const caseDayWeight = (day: CalendarDay) => (day.kind === 'workday' ? 1 : 0);
const onlineWeight = (day: CalendarDay) => onlineDayWeight(CURRENT_YEAR_PROFILE, day);

/** Generates today's records up to `now` and the live state after them. */
export function generateToday(options: TodayOptions): GeneratedToday {
  const now = typeof options.now === 'number' ? options.now : options.now.getTime();
  const { seed = 2022, scale = 1 } = options;
  if (!(scale > 0 && scale <= 10)) throw new Error(`scale must be in (0, 10], got ${scale}`);
  const nowWall = toWallMs(now);
  const today = calendarDayOf(nowWall);
  const timed = Object.fromEntries(FEEDS.map((f) => [f, [] as Timed[]])) as Record<FeedName, Timed[]>;
  const pending: PendingRecord[] = [];
  const split = (feed: FeedName, milestones: readonly Timed[]) => {
    for (const m of milestones) {
      if (m.atMs <= nowWall) timed[feed].push(m);
      else pending.push({ feed, dueMs: toEpochMs(m.atMs), record: m.record });
    }
  };

  // Tickets and cases of recent days: those begun by now and not finished before today's midnight.
  const isActive = (milestones: readonly Timed[]) => milestones[0]!.atMs <= nowWall && milestones.some((m) => m.atMs >= today.startMs);
  for (let back = HOTLINE_LOOKBACK_DAYS; back >= 0; back--) {
    for (const ticket of dayTickets(seed, scale, calendarDayOf(today.startMs - back * DAY_MS)))
      if (isActive(ticket)) split('hotline', ticket);
  }
  for (let back = CROSS_REGION_LOOKBACK_DAYS; back >= 0; back--) {
    for (const c of dayCases(seed, scale, calendarDayOf(today.startMs - back * DAY_MS))) if (isActive(c)) split('crossRegion', c);
  }

  const footfall: LiveState['footfall'] = {};
  for (const hall of HALLS) {
    const day = hallDay(seed, scale, hall, today, nowWall);
    for (const visit of day.visits) if (visit[0]!.atMs <= nowWall) split('hall', visit);
    timed.hall.push(...day.footfallRows);
    footfall[hall.name] = day.current;
  }

  const online = onlineDay(seed, scale, today, nowWall);
  timed.online.push(...Object.values(online).map((cell) => ({ atMs: nowWall, record: onlineRow(today.date, cell, nowWall) })));
  for (const rating of dayRatings(seed, scale, today)) if (rating.atMs <= nowWall) timed.evaluations.push(rating);

  const feeds = Object.fromEntries(FEEDS.map((f) => [f, timed[f].sort((a, b) => a.atMs - b.atMs).map((t) => t.record)])) as Record<
    FeedName,
    FeedRecord[]
  >;
  return {
    date: today.date,
    feeds,
    live: {
      atMs: now,
      date: today.date,
      pending: pending.sort((a, b) => a.dueMs - b.dueMs),
      online,
      footfall,
      queueNumbers: {},
      clean: true,
    },
  };
}

/** The tickets received on `day`, each as its milestones (settled, with ids `HL<yyyymmdd><nnnn>`). */
function dayTickets(seed: number, scale: number, day: CalendarDay): Timed[][] {
  const rng = Rng.for(seed, `today|hotline|${scale}|${day.date}`);
  const recent = new Map<string, string[]>();
  const count = dayCount(rng, TICKETS_PER_YEAR, scale, day, ticketDayWeight);
  const tickets = Array.from({ length: count }, () => drawTicket(rng, day.startMs, recent)).sort((a, b) => a.received - b.received);
  return tickets.map((t, i) => {
    settleTicket(rng, t);
    return ticketMilestones(rng, `HL${compact(day.date)}${String(i + 1).padStart(4, '0')}`, t);
  });
}

/** The cross-region cases received on `day`, each as its records (ids `KY<yyyymmdd><nnn>`). */
function dayCases(seed: number, scale: number, day: CalendarDay): Timed[][] {
  const rng = Rng.for(seed, `today|crossRegion|${scale}|${day.date}`);
  const count = dayCount(rng, CASES_PER_YEAR, scale, day, caseDayWeight);
  return Array.from({ length: count }, (_, i) =>
    caseMilestones(rng, `KY${compact(day.date)}${String(i + 1).padStart(3, '0')}`, drawCase(rng, day.startMs, Infinity)),
  );
}

/**
 * One hall's day: every visit's queue records (numbered per service letter in the order taken), the
 * 15-minute footfall rows up to `nowWall` — finished intervals stamped `asOf` their end, the current one
 * counted so far and stamped `nowWall` — and the current interval for the live stream.
 */
function hallDay(seed: number, scale: number, hall: Hall, day: CalendarDay, nowWall: number) {
  const rng = Rng.for(seed, `today|hall|${scale}|${hall.name}|${day.date}`);
  const weight = hallWeights.get(hall.name)!;
  const served = dayCount(rng, SERVED_PER_YEAR * hall.share, scale, day, weight);
  const abandoned = dayCount(rng, ABANDONED_PER_YEAR * hall.share, scale, day, weight);
  const visits = dayVisits(rng, hall, day, served, abandoned);
  const numbers = new Map<string, number>();
  const intervals = 24 * 4;
  const entries = new Array<number>(intervals).fill(0);
  const entriesByNow = new Array<number>(intervals).fill(0);
  const records = visits.map((visit) => {
    const letter = queueLetter(visit.service);
    const n = (numbers.get(letter) ?? 0) + 1;
    numbers.set(letter, n);
    const people = 1 + drawCompanions(rng);
    const slot = Math.floor((visit.taken - day.startMs) / FOOTFALL_INTERVAL_MS);
    entries[slot]! += people;
    if (visit.taken <= nowWall) entriesByNow[slot]! += people;
    return visitMilestones(rng, hall, visit, `${letter}${String(n).padStart(3, '0')}`);
  });
  // Walk-ins without a number (enquiries, self-service) while a staffed hall is open, about one in six.
  const s = SCHEDULES[hall.kind];
  const open = visits.length > 0;
  const firstSlot = Math.floor(s.fromMinute / 15);
  const endSlot = Math.ceil(s.toMinute / 15);
  for (let slot = firstSlot; open && slot < endSlot; slot++) entries[slot]! += roundRandom(rng, entries[slot]! * 0.12);

  const footfallRows: Timed[] = [];
  const currentSlot = Math.floor((nowWall - day.startMs) / FOOTFALL_INTERVAL_MS);
  for (let slot = 0; slot <= currentSlot; slot++) {
    const startMs = day.startMs + slot * FOOTFALL_INTERVAL_MS;
    const finished = slot < currentSlot;
    const count = finished ? entries[slot]! : entriesByNow[slot]!;
    const reported = hall.kind === 'station24h' ? count > 0 : open && slot >= firstSlot && slot < endSlot;
    if (!reported) continue;
    const asOf = finished ? startMs + FOOTFALL_INTERVAL_MS : nowWall;
    footfallRows.push({
      atMs: asOf,
      record: { type: 'footfall', hall: hall.name, at: formatTime(startMs, true), entries: count, asOf: formatTime(asOf, true) },
    });
  }
  const current = { atMs: toEpochMs(day.startMs + currentSlot * FOOTFALL_INTERVAL_MS), entries: entriesByNow[currentSlot]! };
  return { visits: records, footfallRows, current };
}

/** Today's 一网通办 counts per item and channel as of `nowWall` (cells with none yet left out). */
function onlineDay(seed: number, scale: number, day: CalendarDay, nowWall: number): Record<string, OnlineCell> {
  const rng = Rng.for(seed, `today|online|${scale}|${day.date}`);
  const total = dayCount(rng, CURRENT_YEAR_PROFILE.total, scale, day, onlineWeight);
  const items = onlineItems(seed);
  const cells = items.flatMap((item) =>
    CHANNELS.map((channel) => ({ item, channel, weight: item.popularity * CURRENT_YEAR_PROFILE.channelMix[channel] })),
  );
  const weights = cells.map((c) => c.weight * rng.float(0.5, 1.5));
  const active = [...rng.weightedSample(weights, Math.min(cells.length, Math.ceil(total / AVERAGE_ROW_COUNT)))].sort((a, b) => a - b);
  const counts = allocate(
    Math.max(0, total - active.length),
    active.map((i) => weights[i]!),
  ).map((n) => n + 1);
  const minute = (nowWall - day.startMs) / MINUTE_MS;
  const out: Record<string, OnlineCell> = {};
  active.forEach((cellIndex, k) => {
    const { item, channel } = cells[cellIndex]!;
    const count = Math.floor(counts[k]! * dayFractionBy(channel, minute));
    if (count === 0) return;
    out[`${item.itemCode}|${channel}`] = {
      itemCode: item.itemCode,
      itemName: item.itemName,
      department: item.department,
      channel,
      fullyOnline: item.fullyOnline && (channel === 'pc' || channel === 'mobile'),
      count,
    };
  });
  return out;
}

/** An online snapshot row for `cell` on `date`, stamped `asOf` (wall ms). */
export function onlineRow(date: string, cell: OnlineCell, asOfWall: number): FeedRecord {
  return {
    date,
    itemCode: cell.itemCode,
    itemName: cell.itemName,
    department: cell.department,
    channel: cell.channel,
    fullyOnline: cell.fullyOnline,
    count: cell.count,
    asOf: formatTime(asOfWall, true),
  };
}

/** The day's 好差评 ratings (ids `HCP<yyyymmdd><nnnnn>`), each with its time. */
function dayRatings(seed: number, scale: number, day: CalendarDay): Timed[] {
  const rng = Rng.for(seed, `today|evaluations|${scale}|${day.date}`);
  const count = dayCount(rng, RATINGS_PER_YEAR, scale, day, ratingDayWeight);
  return Array.from({ length: count }, (_, i) => {
    let channel = CHANNEL_WEIGHTS[rng.weightedIndex(CHANNEL_WEIGHTS.map(([, w]) => w))]![0];
    if (day.kind === 'holiday' && (channel === 'window' || channel === 'kiosk')) channel = 'mobile';
    const inHall = channel === 'window' || channel === 'kiosk';
    const atMs =
      day.startMs +
      drawSecondOfDay(rng, inHall ? OFFICE_HOURS : ANY_HOUR, inHall ? 8 * 60 + 30 : 0, inHall ? 17 * 60 + 30 : 1440) * SECOND_MS;
    return { atMs, record: drawRating(rng, `HCP${compact(day.date)}${String(i + 1).padStart(5, '0')}`, atMs, channel).record };
  });
}
