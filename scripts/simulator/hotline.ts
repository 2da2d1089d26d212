import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, drawSecondOfDay, monthOf, wallMs, yearEndMs, type CalendarDay } from './calendar.ts';
import { HOTLINE_CATEGORIES, STREETS } from './catalogue.ts';
import { noisy, writeBoolean, writeEnum, writeTime, type FeedOutput, type FeedRecord, type GeneratorContext } from './context.ts';
import { allocate, scaled, type Rng } from './random.ts';
import { Tally, fraction, type Expectation } from './tally.ts';

/**
 * 12345 “一呼即应” tickets (FEEDS.md §1): per ticket the milestones received, signed, responded, and for
 * most completed and visited. At scale 1 the report's 2022 figures: 3037 signed, 2792 completed, 2735
 * visited, 2380 of them resolved (87 %), ≥ 99 % satisfied.
 */

const MILESTONE_LABELS = { received: '受理', signed: '签收', responded: '响应', completed: '办结', visited: '回访' } as const;
const URGENCY_LABELS = { normal: '普通', complex: '复杂', urgent: '紧急' } as const;
const SOURCE_LABELS = { phone: '电话', web: '网站', wechat: '微信', app: '移动端', other: '其他' } as const;
const SATISFACTION_LABELS = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
} as const;

export type Urgency = keyof typeof URGENCY_LABELS;
type Source = keyof typeof SOURCE_LABELS;
export type Satisfaction = keyof typeof SATISFACTION_LABELS;

/** Tickets signed in the year at scale 1 (the 2022 report). */
export const TICKETS_PER_YEAR = 3037;

/** KPIS.md defaults the expectations assume (Pulse's default settings). */
const SIGN_LIMIT_MS = 120 * MINUTE_MS;
const RESPONSE_LIMIT_MS: Partial<Record<Urgency, number>> = { normal: 60 * MINUTE_MS, complex: 24 * HOUR_MS };
const DEFAULT_DEADLINE_MS: Record<Urgency, number> = { normal: 5 * 24 * HOUR_MS, complex: 15 * 24 * HOUR_MS, urgent: 24 * HOUR_MS };
const REPEAT_WINDOW_MS = 30 * DAY_MS;

/** Calls by hour of day (the 12345 centre answers around the clock). */
export const HOUR_WEIGHTS = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.6, 2.5, 2.6, 2.3, 1.3, 1.2, 2.2, 2.3, 2.2, 1.8, 1.2, 1.1, 1.0, 0.8, 0.5, 0.3,
];
/** Seasonality by month (summer: heat, water, noise and construction complaints). */
export const MONTH_WEIGHTS = [1.0, 0.85, 1.05, 1.1, 1.05, 1.1, 1.2, 1.2, 1.0, 0.9, 0.95, 0.85];
const URGENCY_WEIGHTS: readonly [Urgency, number][] = [
  ['normal', 78],
  ['complex', 18],
  ['urgent', 4],
];
const SOURCE_WEIGHTS: readonly [Source, number][] = [
  ['phone', 60],
  ['wechat', 14],
  ['app', 12],
  ['web', 9],
  ['other', 5],
];

/** A ticket as the generators draw it; times are wall ms. */
export interface Ticket {
  urgency: Urgency;
  category: string;
  street: string;
  department: string;
  source: Source;
  phone?: string;
  received: number;
  signed: number;
  responded: number;
  completed?: number;
  visited?: number;
  /** Explicit 办理时限 on the signed record, when the source sends one. */
  deadline?: number;
  resolved?: boolean;
  satisfaction?: Satisfaction;
}

const pickWeighted = <T>(rng: Rng, entries: readonly (readonly [T, number])[]): T =>
  entries[rng.weightedIndex(entries.map(([, w]) => w))]![0];

function randomPhone(rng: Rng): string {
  return `1${rng.pick(['3', '5', '8', '9'])}${rng.int(0, 9)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

/** Milestone gaps of one ticket, in ms: most within the KPIS.md limits, some not. */
function timeline(rng: Rng, urgency: Urgency) {
  const minutes = (lo: number, hi: number) => Math.round(rng.float(lo, hi) * 60) * SECOND_MS;
  const r = rng.next();
  const signGap = r < 0.9 ? minutes(3, 100) : r < 0.96 ? minutes(100, 120) : minutes(125, 600);
  const q = rng.next();
  const responseGap =
    urgency === 'normal'
      ? q < 0.91
        ? minutes(2, 58)
        : minutes(62, 300)
      : urgency === 'complex'
        ? q < 0.95
          ? minutes(30, 23.5 * 60)
          : minutes(24.5 * 60, 60 * 60)
        : minutes(2, 25);
  const c = rng.next();
  const completionGap =
    urgency === 'normal'
      ? c < 0.88
        ? minutes(180, 4.5 * 1440)
        : minutes(5.2 * 1440, 12 * 1440)
      : urgency === 'complex'
        ? c < 0.85
          ? minutes(2 * 1440, 14 * 1440)
          : minutes(15.5 * 1440, 30 * 1440)
        : c < 0.9
          ? minutes(60, 20 * 60)
          : minutes(25 * 60, 48 * 60);
  const visitGap = minutes(120, 4 * 1440);
  return { signGap, responseGap, completionGap, visitGap };
}

/** Assigns visit answers: exactly `resolvedYes` resolved; satisfaction ≥ 99 % satisfied; a few unrated. */
function answerVisits(rng: Rng, visited: Ticket[], resolvedYes: number): void {
  const order = rng.shuffle(visited.map((_, i) => i));
  order.forEach((v, rank) => (visited[v]!.resolved = rank < resolvedYes));
  const unrated = Math.round(visited.length * 0.015);
  const rated = visited.length - unrated;
  const dissatisfiedTotal = Math.floor(rated * 0.004);
  const veryDissatisfied = Math.floor(dissatisfiedTotal / 3);
  const basically = Math.floor(rated * 0.005);
  const satisfied = Math.round(rated * 0.21);
  // Unhappy answers go to unresolved tickets first, the way it happens.
  const byUnhappiness = rng.shuffle(visited.map((_, i) => i)).sort((a, b) => Number(visited[a]!.resolved) - Number(visited[b]!.resolved));
  const levels: (Satisfaction | undefined)[] = [
    ...Array<Satisfaction>(veryDissatisfied).fill('very_dissatisfied'),
    ...Array<Satisfaction>(dissatisfiedTotal - veryDissatisfied).fill('dissatisfied'),
    ...Array<Satisfaction>(basically).fill('basically_satisfied'),
  ];
  const rest = rng.shuffle([
    ...Array<Satisfaction | undefined>(unrated).fill(undefined),
    ...Array<Satisfaction>(satisfied).fill('satisfied'),
    ...Array<Satisfaction>(rated - dissatisfiedTotal - basically - satisfied).fill('very_satisfied'),
  ]);
  byUnhappiness.forEach((v, rank) => (visited[v]!.satisfaction = rank < levels.length ? levels[rank] : rest[rank - levels.length]));
}

/** Relative call volume of a day: month seasonality × day kind (weekends and holidays quieter). */
export function ticketDayWeight(day: Pick<CalendarDay, 'month' | 'kind'>): number {
  return MONTH_WEIGHTS[day.month - 1]! * (day.kind === 'workday' ? 1 : day.kind === 'weekend' ? 0.55 : 0.45);
}

/**
 * One ticket received on the day starting at `dayStartMs` (wall ms): category, street, urgency, caller,
 * source and its milestone times (all milestones set; callers decide which stay open or unvisited).
 * `recentByCategory` keeps recent callers per category, so some call again (重复来电).
 */
export function drawTicket(rng: Rng, dayStartMs: number, recentByCategory: Map<string, string[]>): Ticket {
  const cat = HOTLINE_CATEGORIES[rng.weightedIndex(HOTLINE_CATEGORIES.map((c) => c.weight))]!;
  const street = rng.pick(STREETS);
  const urgency = pickWeighted(rng, URGENCY_WEIGHTS);
  let phone: string | undefined;
  if (rng.chance(0.8)) {
    const recent = recentByCategory.get(cat.name) ?? [];
    // Some callers call again about the same matter (四类督办: 重复来电).
    phone = recent.length > 0 && rng.chance(0.07) ? rng.pick(recent) : randomPhone(rng);
    recent.push(phone);
    if (recent.length > 40) recent.shift();
    recentByCategory.set(cat.name, recent);
  }
  const received = dayStartMs + drawSecondOfDay(rng, HOUR_WEIGHTS, 0, 1440) * SECOND_MS;
  const gaps = timeline(rng, urgency);
  const signed = received + gaps.signGap;
  const responded = signed + gaps.responseGap;
  return {
    urgency,
    category: cat.name,
    street,
    // Half the tickets go to the street office, the rest to the competent department.
    department: rng.chance(0.5) ? `${street}办事处` : cat.department,
    source: pickWeighted(rng, SOURCE_WEIGHTS),
    ...(phone !== undefined && { phone }),
    received,
    signed,
    responded,
    completed: responded + gaps.completionGap,
    visited: responded + gaps.completionGap + gaps.visitGap,
    ...(rng.chance(0.2) && { deadline: signed + (urgency === 'complex' ? 10 * 24 : urgency === 'normal' ? 3 * 24 : 12) * HOUR_MS }),
  };
}

/** The year's tickets; `extra` (e.g. injected surges, scripts/simulator/surges.ts) join the ordinary ones, which keep their times and places. */
export function generateHotline(ctx: GeneratorContext, extra: readonly Ticket[] = []): FeedOutput {
  const rng = ctx.rng('hotline');
  const signedTotal = scaled(TICKETS_PER_YEAR, ctx.scale, 1);
  const completedTotal = Math.min(signedTotal, scaled(2792, ctx.scale));
  const visitedTotal = Math.min(completedTotal, scaled(2735, ctx.scale));
  const resolvedYes = Math.min(visitedTotal, scaled(2380, ctx.scale));
  const yearStart = wallMs(ctx.year, 1, 1);
  const yearEnd = yearEndMs(ctx.year);

  const dayWeights = ctx.days.map((d) => noisy(rng, ticketDayWeight(d) * ctx.monthFactors[d.month - 1]!));
  const perDay = allocate(signedTotal, dayWeights);
  const tickets: Ticket[] = [];
  const recentByCategory = new Map<string, string[]>();
  ctx.days.forEach((day, d) => {
    for (let k = 0; k < perDay[d]!; k++) tickets.push(drawTicket(rng, day.startMs, recentByCategory));
  });
  tickets.push(...extra.map((t) => ({ ...t })));

  // Which tickets stay open (later in the year, complex more often) and which completed ones are not visited.
  const open = rng.weightedSample(
    tickets.map((t) => 1 + 4 * ((t.received - yearStart) / (yearEnd - yearStart)) ** 4 + (t.urgency === 'complex' ? 1 : 0)),
    signedTotal - completedTotal,
  );
  const completedIdx = tickets.map((_, i) => i).filter((i) => !open.has(i));
  const unvisited = new Set(
    [
      ...rng.weightedSample(
        completedIdx.map(() => 1),
        completedTotal - visitedTotal,
      ),
    ].map((k) => completedIdx[k]!),
  );
  tickets.forEach((t, i) => {
    if (open.has(i)) delete t.completed;
    if (open.has(i) || unvisited.has(i)) delete t.visited;
    // Every milestone stays within the year: a ticket that would end after 31 December happened earlier.
    const last = t.visited ?? t.completed ?? t.responded;
    if (last > yearEnd) {
      const shift = (Math.ceil((last - yearEnd) / DAY_MS) + rng.int(0, 2)) * DAY_MS;
      for (const key of ['received', 'signed', 'responded', 'completed', 'visited', 'deadline'] as const)
        if (t[key] !== undefined) t[key] -= shift;
    }
  });
  tickets.sort((a, b) => a.received - b.received);
  answerVisits(
    rng,
    tickets.filter((t) => t.visited !== undefined),
    resolvedYes,
  );

  const tally = new Tally();
  const records: FeedRecord[] = [];
  const repeats = repeatContacts(tickets);
  tickets.forEach((t, i) => {
    const ticketId = `HL${ctx.year}${String(i + 1).padStart(6, '0')}`;
    tallyTicket(tally, t, repeats.has(t));
    records.push(...ticketRecords(rng, ticketId, t));
  });
  const openCount = signedTotal - completedTotal;
  const yearOnly: Record<string, Expectation> = {
    // Live figures, as read after every open ticket's deadline has passed (any time after the year).
    'hotline.open': openCount,
    'hotline.overdue': openCount,
    'hotline.supervised': openCount + tally.get('unresolved') + tally.get('dissatisfied') + tally.get('repeat'),
  };
  return { records, tally, yearOnly };
}

/** Tickets whose caller had a ticket of the same category within 30 days before (重复来电). */
function repeatContacts(tickets: readonly Ticket[]): Set<Ticket> {
  const last = new Map<string, number>();
  const repeats = new Set<Ticket>();
  for (const t of tickets) {
    if (t.phone === undefined) continue;
    const key = `${t.phone}|${t.category}`;
    const previous = last.get(key);
    if (previous !== undefined && t.received - previous <= REPEAT_WINDOW_MS) repeats.add(t);
    last.set(key, t.received);
  }
  return repeats;
}

/** Counts a ticket as KPIS.md defines each figure: milestones on their own month, cohorts on received/signed. */
function tallyTicket(tally: Tally, t: Ticket, repeat: boolean): void {
  const signedMonth = monthOf(t.signed);
  tally.add(monthOf(t.received), 'received');
  tally.add(signedMonth, 'signed');
  tally.add(monthOf(t.responded), 'responded');
  tally.add(monthOf(t.received), 'cohort.received');
  if (t.signed - t.received <= SIGN_LIMIT_MS) tally.add(monthOf(t.received), 'cohort.signedInTime');
  const limit = RESPONSE_LIMIT_MS[t.urgency];
  if (limit !== undefined) {
    tally.add(signedMonth, `cohort.${t.urgency}Signed`);
    if (t.responded - t.signed <= limit) tally.add(signedMonth, `cohort.${t.urgency}InTime`);
  }
  if (t.completed !== undefined) {
    tally.add(monthOf(t.completed), 'completed');
    tally.add(signedMonth, 'cohort.completed');
    if (t.completed <= (t.deadline ?? t.signed + DEFAULT_DEADLINE_MS[t.urgency])) tally.add(signedMonth, 'cohort.completedOnTime');
  } else {
    tally.add(signedMonth, 'cohort.open');
  }
  if (t.visited !== undefined) {
    const month = monthOf(t.visited);
    tally.add(month, 'visited');
    if (t.resolved !== undefined) {
      tally.add(month, 'resolvedKnown');
      tally.add(month, t.resolved ? 'resolvedYes' : 'unresolved');
    }
    if (t.satisfaction !== undefined) {
      tally.add(month, 'satisfactionRated');
      if (t.satisfaction === 'dissatisfied' || t.satisfaction === 'very_dissatisfied') tally.add(month, 'dissatisfied');
      else tally.add(month, 'satisfied');
    }
  }
  if (repeat) tally.add(monthOf(t.received), 'repeat');
}

/**
 * A ticket's records with the wall time of each, in lifecycle order (received, signed, responded, then
 * completed and visited when set) — the records the year generator writes, for the day models and the live stream.
 */
export function ticketMilestones(rng: Rng, ticketId: string, t: Ticket): { atMs: number; record: FeedRecord }[] {
  const times = [t.received, t.signed, t.responded, t.completed, t.visited].filter((ms): ms is number => ms !== undefined);
  return ticketRecords(rng, ticketId, t).map((record, i) => ({ atMs: times[i]!, record }));
}

/**
 * Settles one ticket on its own, as the day models and the live stream need (the year settles all its
 * tickets at once, to hit the report's totals): about 3 % stay open, 2 % of the completed are never
 * visited, 87 % of the visited are resolved, and ≥ 99 % of the ratings are satisfied — the few unhappy
 * answers mostly on unresolved tickets.
 */
export function settleTicket(rng: Rng, t: Ticket): void {
  if (rng.chance(0.03)) {
    delete t.completed;
    delete t.visited;
    return;
  }
  if (rng.chance(0.02)) {
    delete t.visited;
    return;
  }
  t.resolved = rng.chance(0.87);
  if (rng.chance(0.015)) return; // no rating given
  const levels: readonly (readonly [Satisfaction, number])[] = t.resolved
    ? [
        ['very_satisfied', 79.6],
        ['satisfied', 20],
        ['basically_satisfied', 0.3],
        ['dissatisfied', 0.07],
        ['very_dissatisfied', 0.03],
      ]
    : [
        ['very_satisfied', 64],
        ['satisfied', 30],
        ['basically_satisfied', 2.5],
        ['dissatisfied', 2.5],
        ['very_dissatisfied', 1],
      ];
  t.satisfaction = pickWeighted(rng, levels);
}

function ticketRecords(rng: Rng, ticketId: string, t: Ticket): FeedRecord[] {
  const milestone = (type: keyof typeof MILESTONE_LABELS, at: number): FeedRecord => ({
    ticketId,
    type: writeEnum(rng, type, MILESTONE_LABELS),
    at: writeTime(rng, at),
  });
  // The call creates the ticket (source, caller); signing carries the dispatch (urgency, category, …).
  const categoryOnReceived = rng.chance(0.1);
  const received: FeedRecord = { ...milestone('received', t.received), source: writeEnum(rng, t.source, SOURCE_LABELS) };
  if (t.phone !== undefined)
    received.callerPhone = rng.chance(0.15) ? `${t.phone.slice(0, 3)}-${t.phone.slice(3, 7)}-${t.phone.slice(7)}` : t.phone;
  if (categoryOnReceived) received.category = t.category;
  const signed: FeedRecord = { ...milestone('signed', t.signed), street: t.street, department: t.department };
  // 普通 is the default: a third of the normal tickets leave it out.
  if (t.urgency !== 'normal' || rng.chance(0.67)) signed.urgency = writeEnum(rng, t.urgency, URGENCY_LABELS);
  if (!categoryOnReceived) signed.category = t.category;
  if (t.deadline !== undefined) signed.deadline = writeTime(rng, t.deadline);
  const out = [received, signed, milestone('responded', t.responded)];
  if (t.completed !== undefined) out.push(milestone('completed', t.completed));
  if (t.visited !== undefined) {
    const visited = milestone('visited', t.visited);
    if (t.resolved !== undefined) visited.resolved = writeBoolean(rng, t.resolved);
    if (t.satisfaction !== undefined) visited.satisfaction = writeEnum(rng, t.satisfaction, SATISFACTION_LABELS);
    out.push(visited);
  }
  return out;
}

/** Hotline expectations by KPI id from the generator's counts (`get` reads a year or a month). */
export function hotlineExpectations(get: (field: string) => number): Record<string, Expectation> {
  return {
    'hotline.received': get('received'),
    'hotline.signed': get('signed'),
    'hotline.responded': get('responded'),
    'hotline.completed': get('completed'),
    'hotline.visited': get('visited'),
    'hotline.timelySignRate': fraction(get('cohort.signedInTime'), get('cohort.received')),
    'hotline.completionRate': fraction(get('completed'), get('signed')),
    'hotline.visitRate': fraction(get('visited'), get('completed')),
    'hotline.resolutionRate': fraction(get('resolvedYes'), get('resolvedKnown')),
    'hotline.satisfactionRate': fraction(get('satisfied'), get('satisfactionRated')),
    'hotline.responseWithin1hRate': fraction(get('cohort.normalInTime'), get('cohort.normalSigned')),
    'hotline.complexScreenedWithin1dRate': fraction(get('cohort.complexInTime'), get('cohort.complexSigned')),
    // Open tickets count as past deadline: true once the figures are read after the year's deadlines.
    'hotline.onTimeCompletionRate': fraction(get('cohort.completedOnTime'), get('cohort.completed') + get('cohort.open')),
  };
}
