import { DAY_MS, SECOND_MS, drawSecondOfDay, monthOf, yearEndMs } from './calendar.ts';
import { CROSS_REGION_ITEMS, PARTNER_REGIONS } from './catalogue.ts';
import { noisy, writeEnum, writeTime, type FeedOutput, type FeedRecord, type GeneratorContext } from './context.ts';
import { allocate, scaled, type Rng } from './random.ts';
import { Tally, fraction, type Expectation } from './tally.ts';

/**
 * 跨域通办 cases (FEEDS.md §4), received at the district hall's 跨域通办专窗 (outbound) or by a partner
 * (inbound), with the 15 跨省通办 and 3 长株潭 partners and the 139 items. A few hundred a year at scale 1;
 * most completed, a few returned (退件), the rest still open at the year's end.
 */

const TYPE_LABELS = { received: '受理', completed: '办结', returned: '退件' } as const;
const DIRECTION_LABELS = { outbound: '本地收件、异地办理', inbound: '异地收件、本地办理' } as const;
/** How staff shorten the direction (the receiving half alone), also accepted. */
const DIRECTION_SHORT = { outbound: '本地收件', inbound: '异地收件' } as const;

export const CASES_PER_YEAR = 426;
export const OFFICE_HOURS = Array.from({ length: 24 }, (_, h) =>
  h >= 9 && h < 12 ? 2 : h >= 14 && h < 17 ? 2 : h === 8 || h === 17 ? 0.5 : 0,
);

type Direction = keyof typeof DIRECTION_LABELS;

const PARTNER_WEIGHTS = PARTNER_REGIONS.map((p) => (p.scope === 'changzhutan' ? 6 : 1.5));
const ITEM_WEIGHTS = CROSS_REGION_ITEMS.map((_, i) => 1 / (i + 1) ** 0.6);

/** A case as drawn: times are wall ms; `closed` absent while it is still open. */
export interface CrossRegionCase {
  partner: string;
  direction: Direction;
  item: { itemCode: string; itemName: string };
  received: number;
  closed?: number;
  closedAs: 'completed' | 'returned';
}

/**
 * A case received in office hours on the day starting at `dayStartMs`: completed (93 %) or returned
 * after 1–15 days, or (4 %) still open; a close after `closeBy` (wall ms) leaves it open.
 */
export function drawCase(rng: Rng, dayStartMs: number, closeBy: number): CrossRegionCase {
  const partner = PARTNER_REGIONS[rng.weightedIndex(PARTNER_WEIGHTS)]!.region;
  const direction: Direction = rng.chance(0.55) ? 'outbound' : 'inbound';
  const item = CROSS_REGION_ITEMS[rng.weightedIndex(ITEM_WEIGHTS)]!;
  const received = dayStartMs + drawSecondOfDay(rng, OFFICE_HOURS, 8 * 60 + 30, 17 * 60 + 30) * SECOND_MS;
  const outcome = rng.next();
  // Completed (or returned) after 1–15 days, within office hours, and never after the year's end.
  let closed: number | undefined = received + rng.int(1, 15) * DAY_MS + rng.int(-3, 3) * 3_600 * SECOND_MS;
  if (closed > closeBy || outcome >= 0.96) closed = undefined;
  const closedAs = outcome < 0.93 ? 'completed' : 'returned';
  return { partner, direction, item, received, ...(closed !== undefined && { closed }), closedAs };
}

/** A case's records with their wall times: received, then completed or returned when closed. */
export function caseMilestones(rng: Rng, caseId: string, c: CrossRegionCase): { atMs: number; record: FeedRecord }[] {
  const base = { caseId, partnerRegion: c.partner, direction: writeDirection(rng, c.direction) };
  const receivedRecord: FeedRecord = { ...base, type: writeEnum(rng, 'received', TYPE_LABELS), at: writeTime(rng, c.received) };
  if (rng.chance(0.9)) Object.assign(receivedRecord, rng.chance(0.8) ? c.item : { itemCode: c.item.itemCode });
  const out = [{ atMs: c.received, record: receivedRecord }];
  if (c.closed !== undefined)
    out.push({ atMs: c.closed, record: { ...base, type: writeEnum(rng, c.closedAs, TYPE_LABELS), at: writeTime(rng, c.closed) } });
  return out;
}

export function generateCrossRegion(ctx: GeneratorContext): FeedOutput {
  const rng = ctx.rng('crossRegion');
  const total = scaled(CASES_PER_YEAR, ctx.scale, 1);
  // Agreements signed during the year bring cases from then on: later partners are busier late in the year.
  const perDay = allocate(
    total,
    ctx.days.map((d) => noisy(rng, (d.kind === 'workday' ? 0.6 + d.index / 365 : 0) * ctx.monthFactors[d.month - 1]!, 0.3)),
  );
  const yearEnd = yearEndMs(ctx.year);
  const tally = new Tally();
  const records: FeedRecord[] = [];
  let seq = 0;
  ctx.days.forEach((day, d) => {
    for (let k = 0; k < perDay[d]!; k++) {
      const caseId = `KY${ctx.year}${String(++seq).padStart(5, '0')}`;
      const c = drawCase(rng, day.startMs, yearEnd);
      const [received, closed] = caseMilestones(rng, caseId, c);
      records.push(received!.record);
      tally.add(monthOf(c.received), 'received');
      if (closed) {
        records.push(closed.record);
        tally.add(monthOf(closed.atMs), c.closedAs);
      }
    }
  });
  return { records, tally };
}

function writeDirection(rng: Rng, direction: Direction): string {
  const r = rng.next();
  return r < 0.6 ? direction : r < 0.85 ? DIRECTION_LABELS[direction] : DIRECTION_SHORT[direction];
}

/** 跨域通办 case expectations (partners and items need reference data and are not expected here). */
export function crossRegionExpectations(get: (field: string) => number): Record<string, Expectation> {
  return {
    'crossRegion.received': get('received'),
    'crossRegion.completed': get('completed'),
    'crossRegion.completionRate': fraction(get('completed'), get('received')),
  };
}
