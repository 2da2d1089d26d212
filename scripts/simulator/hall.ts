import { HOUR_MS, SECOND_MS, drawSecondOfDay, type CalendarDay } from './calendar.ts';
import { DISTRICT_HALL, HALLS, HALL_SERVICES, type Hall, type HallKind } from './catalogue.ts';
import { noisy, writeEnum, writeTime, type FeedOutput, type FeedRecord, type GeneratorContext } from './context.ts';
import { allocate, scaled, type Rng } from './random.ts';
import { Tally, fraction, type Expectation } from './tally.ts';

/**
 * 政务服务大厅 (FEEDS.md §3): queue records of the 取号叫号 system — a visit is taken, called and served,
 * or taken (perhaps called) and abandoned — and hourly footfall rows of the entrance counters. At scale
 * 1: 374639 served matters (2022), about 2043 visitors per open day. The district hall works 8:30–17:30
 * on working days and less on weekends, street centres on working days, the three 24-hour stations
 * every day; the staffed halls close on public holidays (Spring Festival and National Day weeks …).
 */

export const STEP_LABELS = { taken: '取号', called: '叫号', served: '办结', abandoned: '过号' } as const;
const FOOTFALL_LABELS = { footfall: '客流' } as const;

/** KPIS.md default: a visitor is called in time within 30 minutes. */
const WAIT_LIMIT_SECONDS = 30 * 60;
/** Served matters per year at scale 1 (the 2022 report). */
export const SERVED_PER_YEAR = 374_639;
/** Visitors per open day at scale 1 (report: 日均人流量2000余人次). */
const DAILY_VISITORS = 2043.4;
/** Abandoned visits (过号) per year at scale 1, beside the served ones. */
export const ABANDONED_PER_YEAR = 13_800;

export const MONTH_WEIGHTS = [1.0, 0.75, 1.05, 0.8, 0.95, 1.05, 1.1, 1.05, 1.0, 0.9, 0.85, 0.8];

export interface Schedule {
  /** Relative volume of a day of this kind (0 = closed). */
  dayWeight: Record<CalendarDay['kind'], number>;
  /** Numbers are taken from `fromMinute` until `toMinute` (minutes after midnight). */
  fromMinute: number;
  toMinute: number;
  hourWeights: readonly number[];
  /** Mean wait and service, minutes; caps keep every visit within its day. */
  meanWait: number;
  maxWait: number;
  meanService: number;
  maxService: number;
}

const hours = (weights: Record<number, number>) => Array.from({ length: 24 }, (_, h) => weights[h] ?? 0);

/** Opening hours, volumes and waits of each kind of hall. */
export const SCHEDULES: Record<HallKind, Schedule> = {
  district: {
    dayWeight: { workday: 1, weekend: 0.12, holiday: 0 },
    fromMinute: 8 * 60 + 30,
    toMinute: 17 * 60 + 15,
    hourWeights: hours({ 8: 1.2, 9: 2.2, 10: 2.4, 11: 2.0, 12: 1.0, 13: 1.1, 14: 2.0, 15: 2.2, 16: 1.8, 17: 0.6 }),
    meanWait: 11,
    maxWait: 150,
    meanService: 10,
    maxService: 90,
  },
  street: {
    dayWeight: { workday: 1, weekend: 0, holiday: 0 },
    fromMinute: 8 * 60 + 30,
    toMinute: 17 * 60 + 15,
    hourWeights: hours({ 8: 1, 9: 2, 10: 2, 11: 1.5, 12: 0.3, 13: 0.5, 14: 1.5, 15: 1.8, 16: 1.5, 17: 0.5 }),
    meanWait: 6,
    maxWait: 90,
    meanService: 7,
    maxService: 60,
  },
  station24h: {
    dayWeight: { workday: 1, weekend: 0.7, holiday: 0.45 },
    fromMinute: 0,
    toMinute: 23 * 60,
    hourWeights: hours({
      0: 0.1,
      1: 0.05,
      2: 0.05,
      3: 0.05,
      4: 0.05,
      5: 0.1,
      6: 0.2,
      7: 0.4,
      8: 1,
      9: 2,
      10: 2,
      11: 2,
      12: 2.2,
      13: 2.2,
      14: 1.8,
      15: 1.8,
      16: 1.8,
      17: 1.8,
      18: 1.5,
      19: 1.5,
      20: 1.5,
      21: 0.8,
      22: 0.8,
    }),
    meanWait: 1.5,
    maxWait: 20,
    meanService: 5,
    maxService: 30,
  },
};

/** One visitor's number: times are wall ms; `called`/`served`/`abandoned` absent when it never came to that. */
export interface Visit {
  service: string;
  window: string;
  taken: number;
  called?: number;
  served?: number;
  abandoned?: number;
}

/** Whole seconds, drawn exponentially around `meanMinutes` and capped. */
const drawSeconds = (rng: Rng, meanMinutes: number, maxMinutes: number, minMinutes = 0.5) =>
  Math.round(Math.min(maxMinutes, minMinutes + rng.exponential(meanMinutes)) * 60);

function windowOf(rng: Rng, hall: Hall, service: string): string {
  const s = HALL_SERVICES.indexOf(service as (typeof HALL_SERVICES)[number]);
  if (service === '自助服务') return `自助终端${rng.int(1, 3)}`;
  if (hall.kind === 'district') return `${String(s * 4 + rng.int(1, 4)).padStart(2, '0')}号窗口`;
  return `${String(rng.int(1, hall.kind === 'street' ? 4 : 2)).padStart(2, '0')}号窗口`;
}

/** The visits of one hall on one day, taken in time order. */
export function dayVisits(rng: Rng, hall: Hall, day: CalendarDay, served: number, abandoned: number): Visit[] {
  const s = SCHEDULES[hall.kind];
  const dayEnd = day.startMs + 24 * HOUR_MS - SECOND_MS;
  const visits: Visit[] = [];
  for (let k = 0; k < served + abandoned; k++) {
    const service = rng.pick(hall.services);
    const taken = day.startMs + drawSecondOfDay(rng, s.hourWeights, s.fromMinute, s.toMinute) * SECOND_MS;
    visits.push(drawVisit(rng, hall, service, taken, dayEnd, k < served));
  }
  return visits.sort((a, b) => a.taken - b.taken);
}

/**
 * The rest of a visit whose number for `service` was taken at `taken` (wall ms): its window, the call
 * after a wait drawn for the hall's kind, then served — or, when `served` is false, 过号 (abandoned,
 * called or not). No step after `dayEnd`.
 */
export function drawVisit(rng: Rng, hall: Hall, service: string, taken: number, dayEnd: number, served: boolean): Visit {
  const s = SCHEDULES[hall.kind];
  const visit: Visit = { service, window: windowOf(rng, hall, service), taken };
  const called = Math.min(dayEnd, taken + drawSeconds(rng, s.meanWait, s.maxWait) * SECOND_MS);
  if (served) {
    visit.called = called;
    visit.served = Math.min(dayEnd, called + drawSeconds(rng, s.meanService, s.maxService, 1) * SECOND_MS);
  } else if (rng.chance(0.65)) {
    // 过号: called, did not come to the window.
    visit.called = called;
    visit.abandoned = Math.min(dayEnd, called + rng.int(3 * 60, 10 * 60) * SECOND_MS);
  } else {
    visit.abandoned = Math.min(dayEnd, taken + drawSeconds(rng, 25, 120) * SECOND_MS);
  }
  return visit;
}

/** A visit's queue records with the wall time of each, in order (taken, called, served or abandoned). */
export function visitMilestones(rng: Rng, hall: Hall, visit: Visit, queueId: string): { atMs: number; record: FeedRecord }[] {
  const times = [visit.taken, visit.called, visit.served, visit.abandoned].filter((ms): ms is number => ms !== undefined);
  return visitRecords(rng, hall, visit, queueId).map((record, i) => ({ atMs: times[i]!, record }));
}

/** The queue letter of a service (A for the first of HALL_SERVICES, …). */
export function queueLetter(service: string): string {
  return String.fromCharCode(65 + HALL_SERVICES.indexOf(service as (typeof HALL_SERVICES)[number]));
}

function visitRecords(rng: Rng, hall: Hall, visit: Visit, queueId: string): FeedRecord[] {
  // The district hall is the default: its system often leaves the hall out.
  const omitHall = hall.name === DISTRICT_HALL && rng.chance(0.3);
  const step = (type: keyof typeof STEP_LABELS, at: number): FeedRecord => ({
    queueId,
    type: writeEnum(rng, type, STEP_LABELS),
    at: writeTime(rng, at),
    ...(!omitHall && { hall: hall.name }),
  });
  const out: FeedRecord[] = [{ ...step('taken', visit.taken), service: visit.service }];
  if (visit.called !== undefined) out.push({ ...step('called', visit.called), window: visit.window });
  if (visit.served !== undefined) out.push({ ...step('served', visit.served), window: visit.window });
  if (visit.abandoned !== undefined) out.push(step('abandoned', visit.abandoned));
  return out;
}

function tallyVisit(tally: Tally, month: number, v: Visit): void {
  tally.add(month, 'taken');
  if (v.called !== undefined) {
    const waitSeconds = Math.round((v.called - v.taken) / SECOND_MS);
    tally.add(month, 'called');
    tally.add(month, 'wait.count');
    tally.add(month, 'wait.sumSeconds', waitSeconds);
    if (waitSeconds <= WAIT_LIMIT_SECONDS) tally.add(month, 'wait.withinTarget');
  }
  if (v.served !== undefined) {
    tally.add(month, 'served');
    if (v.called !== undefined) {
      tally.add(month, 'service.count');
      tally.add(month, 'service.sumSeconds', Math.round((v.served - v.called) / SECOND_MS));
    }
  }
  if (v.abandoned !== undefined) tally.add(month, 'abandoned');
}

export function generateHall(ctx: GeneratorContext): FeedOutput {
  const rng = ctx.rng('hall');
  const shares = HALLS.map((h) => h.share);
  const servedByHall = allocate(scaled(SERVED_PER_YEAR, ctx.scale), shares);
  const abandonedByHall = allocate(scaled(ABANDONED_PER_YEAR, ctx.scale), shares);
  const tally = new Tally();
  const records: FeedRecord[] = [];
  const activeDays = new Set<number>();
  /** Footfall cells: one per hall, open day and hour, weighted by the numbers taken in it. */
  const cells: { hall: Hall; day: CalendarDay; hour: number; weight: number; countsZero: boolean }[] = [];

  HALLS.forEach((hall, h) => {
    const s = SCHEDULES[hall.kind];
    const weights = ctx.days.map((d) => noisy(rng, MONTH_WEIGHTS[d.month - 1]! * s.dayWeight[d.kind] * ctx.monthFactors[d.month - 1]!));
    const servedPerDay = allocate(servedByHall[h]!, weights);
    const abandonedPerDay = allocate(abandonedByHall[h]!, weights);
    ctx.days.forEach((day, d) => {
      const visits = dayVisits(rng, hall, day, servedPerDay[d]!, abandonedPerDay[d]!);
      if (visits.length === 0) return;
      activeDays.add(day.index);
      const takenByHour = new Array<number>(24).fill(0);
      const seq = new Map<string, number>();
      for (const visit of visits) {
        const letter = queueLetter(visit.service);
        const n = (seq.get(letter) ?? 0) + 1;
        seq.set(letter, n);
        records.push(...visitRecords(rng, hall, visit, `${letter}${String(n).padStart(3, '0')}`));
        tallyVisit(tally, day.month, visit);
        takenByHour[Math.floor((visit.taken - day.startMs) / HOUR_MS)]! += 1;
      }
      for (let hour = Math.floor(s.fromMinute / 60); hour < Math.ceil(s.toMinute / 60); hour++) {
        // Walk-ins without a number (enquiries, companions, self-service) on top of the numbers taken.
        const weight = noisy(rng, takenByHour[hour]! * 1.6 + s.hourWeights[hour]! * 0.8 * ctx.scale, 0.3);
        cells.push({ hall, day, hour, weight, countsZero: hall.kind !== 'station24h' });
      }
    });
  });

  const openDays = [...activeDays].sort((a, b) => a - b);
  for (const index of openDays) tally.add(ctx.days[index]!.month, 'openDays');
  // Footfall only on days a hall had visits, so open days are exactly the days with queue records.
  const entries = allocate(
    Math.round(DAILY_VISITORS * ctx.scale * openDays.length),
    cells.map((c) => c.weight),
  );
  cells.forEach((cell, i) => {
    const n = entries[i]!;
    tally.add(cell.day.month, 'visitors', n);
    // Staffed halls' counters export every open hour, 0 included; the stations' only hours with entries.
    if (n > 0 || cell.countsZero) records.push(...footfallRows(rng, cell.hall, cell.day.startMs + cell.hour * HOUR_MS, n));
  });
  return { records, tally };
}

/** A footfall row; rarely a first count and its correction, both stamped `asOf`. */
function footfallRows(rng: Rng, hall: Hall, at: number, entries: number): FeedRecord[] {
  const row: FeedRecord = { type: writeEnum(rng, 'footfall', FOOTFALL_LABELS), at: writeTime(rng, at), entries };
  if (hall.name !== DISTRICT_HALL || rng.chance(0.7)) row.hall = hall.name;
  if (rng.chance(0.003)) {
    return [
      { ...row, entries: entries + rng.int(1, 9), asOf: writeTime(rng, at + HOUR_MS + 5 * 60_000) },
      { ...row, asOf: writeTime(rng, at + 26 * HOUR_MS) },
    ];
  }
  return [row];
}

/** 政务大厅 expectations from the generator's counts (`get` reads a year or a month). */
export function hallExpectations(get: (field: string) => number): Record<string, Expectation> {
  return {
    'hall.servedMatters': get('served'),
    'hall.taken': get('taken'),
    'hall.visitors': get('visitors'),
    'hall.openDays': get('openDays'),
    'hall.dailyAvgVisitors': fraction(get('visitors'), get('openDays')),
    'hall.avgWaitMinutes': fraction(get('wait.sumSeconds') / 60, get('wait.count')),
    'hall.avgServiceMinutes': fraction(get('service.sumSeconds') / 60, get('service.count')),
    'hall.abandonRate': fraction(get('abandoned'), get('taken')),
    'hall.waitTargetRate': fraction(get('wait.withinTarget'), get('wait.count')),
  };
}
