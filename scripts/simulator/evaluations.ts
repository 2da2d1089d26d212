import { SECOND_MS, drawSecondOfDay, type CalendarDay } from './calendar.ts';
import { HALLS, SERVICE_ITEMS_BY_DEPARTMENT } from './catalogue.ts';
import { noisy, writeEnum, writeTime, type FeedOutput, type FeedRecord, type GeneratorContext } from './context.ts';
import { allocate, scaled, type Rng } from './random.ts';
import { Tally, fraction, type Expectation } from './tally.ts';

/**
 * 政务服务“好差评” ratings (FEEDS.md §5): about 30 thousand a year at scale 1, mostly 5 and 4. Ratings at
 * a window or kiosk carry the hall and come in office hours on open days; the others (website, mobile,
 * SMS) come at any hour of any day.
 */

const RATING_LABELS = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' } as const;
const CHANNEL_LABELS = { window: '窗口', pc: '网站', mobile: '移动端', kiosk: '自助终端', sms: '短信' } as const;
export type Channel = keyof typeof CHANNEL_LABELS;
export type Rating = keyof typeof RATING_LABELS;

export const RATINGS_PER_YEAR = 30_512;
const RATING_WEIGHTS: readonly [Rating, number][] = [
  [5, 86],
  [4, 11.5],
  [3, 1.6],
  [2, 0.6],
  [1, 0.3],
];
export const CHANNEL_WEIGHTS: readonly [Channel, number][] = [
  ['window', 45],
  ['kiosk', 10],
  ['pc', 15],
  ['mobile', 25],
  ['sms', 5],
];
export const OFFICE_HOURS = Array.from({ length: 24 }, (_, h) =>
  h >= 9 && h < 12 ? 2 : h >= 14 && h < 17 ? 2 : h === 8 || h === 12 || h === 13 || h === 17 ? 1 : 0,
);
export const ANY_HOUR = [
  0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1, 1.6, 1.8, 1.6, 1.2, 1.2, 1.6, 1.7, 1.6, 1.4, 1.2, 1.3, 1.4, 1.1, 0.6, 0.3,
];
const DEPARTMENTS = SERVICE_ITEMS_BY_DEPARTMENT.map((d) => d.department);

const pick = <T>(rng: Rng, entries: readonly (readonly [T, number])[]): T => entries[rng.weightedIndex(entries.map(([, w]) => w))]![0];

/** A rating as sources write it: a number, a digit string, or the Chinese label. */
function writeRating(rng: Rng, rating: Rating): number | string {
  const r = rng.next();
  return r < 0.6 ? rating : r < 0.8 ? String(rating) : RATING_LABELS[rating];
}

/** Relative number of ratings on a day of this kind. */
export function ratingDayWeight(day: Pick<CalendarDay, 'kind'>): number {
  return day.kind === 'workday' ? 1 : day.kind === 'weekend' ? 0.25 : 0.08;
}

export function generateEvaluations(ctx: GeneratorContext): FeedOutput {
  const rng = ctx.rng('evaluations');
  const perDay = allocate(
    scaled(RATINGS_PER_YEAR, ctx.scale, 1),
    ctx.days.map((d) => noisy(rng, ratingDayWeight(d) * ctx.monthFactors[d.month - 1]!)),
  );
  const tally = new Tally();
  const records: FeedRecord[] = [];
  let seq = 0;
  ctx.days.forEach((day, d) => {
    for (let k = 0; k < perDay[d]!; k++) {
      // The staffed halls are closed on holidays: ratings that day come from the other channels.
      let channel = pick(rng, CHANNEL_WEIGHTS);
      if (day.kind === 'holiday' && (channel === 'window' || channel === 'kiosk')) channel = 'mobile';
      const inHall = channel === 'window' || channel === 'kiosk';
      const at =
        day.startMs +
        drawSecondOfDay(rng, inHall ? OFFICE_HOURS : ANY_HOUR, inHall ? 8 * 60 + 30 : 0, inHall ? 17 * 60 + 30 : 1440) * SECOND_MS;
      const { record, rating } = drawRating(rng, `HCP${ctx.year}${String(++seq).padStart(6, '0')}`, at, channel);
      records.push(record);
      tally.add(day.month, 'count');
      if (rating >= 4) tally.add(day.month, 'positive');
      if (rating <= 2) tally.add(day.month, 'negative');
    }
  });
  return { records, tally };
}

/**
 * One rating given at `at` (wall ms) on `channel`: its level (mostly 5 and 4) and the record as sources
 * write it; ratings at a window or kiosk carry the hall.
 */
export function drawRating(rng: Rng, id: string, at: number, channel: Channel): { record: FeedRecord; rating: Rating } {
  const rating = pick(rng, RATING_WEIGHTS);
  const record: FeedRecord = {
    id,
    at: writeTime(rng, at),
    rating: writeRating(rng, rating),
    channel: writeEnum(rng, channel, CHANNEL_LABELS),
  };
  if (rng.chance(0.9)) record.department = rng.pick(DEPARTMENTS);
  if (channel === 'window' || channel === 'kiosk') record.hall = HALLS[rng.weightedIndex(HALLS.map((h) => h.share))]!.name;
  return { record, rating };
}

/** 好差评 expectations from the generator's counts. */
export function evaluationExpectations(get: (field: string) => number): Record<string, Expectation> {
  return {
    'evaluations.count': get('count'),
    'evaluations.positiveRate': fraction(get('positive'), get('count')),
    'evaluations.negative': get('negative'),
    'evaluations.negativeRate': fraction(get('negative'), get('count')),
  };
}
