import { DAY_MS, HOUR_MS, MINUTE_MS, type CalendarDay } from './calendar.ts';
import { SERVICE_ITEMS, type ServiceItem } from './catalogue.ts';
import { noisy, writeBoolean, writeEnum, writeTime, type FeedOutput, type FeedRecord, type GeneratorContext } from './context.ts';
import { Rng, allocate, scaled } from './random.ts';
import { Tally, fraction, type Expectation } from './tally.ts';

/**
 * “一网通办” daily volume rows (FEEDS.md §2, snapshot): one row per day × item × channel with a count.
 * At scale 1 the year sums to 713752 (2022) and the year before to 38383 (2021). A few rows are
 * corrected: the source sends a first count and then the right one, both with `asOf`, so the later
 * `asOf` wins whatever the arrival order.
 */

export const CHANNELS = ['pc', 'mobile', 'window', 'self_service'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = { pc: '网上办', mobile: '掌上办', window: '窗口办', self_service: '自助办' };

/** Rows average about this many 办件 each (the busiest items have many per day, the tail has ones). */
export const AVERAGE_ROW_COUNT = 6;

/** How the year behaves: volume magnitude, seasonality, which part of the catalogue is online, channel mix. */
export interface OnlineProfile {
  /** 办件量 of the year at scale 1. */
  total: number;
  monthWeights: readonly number[];
  /** The first this many items (by popularity) are offered online. */
  itemCount: number;
  channelMix: Readonly<Record<Channel, number>>;
}

/** 2022: the report's 713752, boosted during the spring and winter outbreaks (“不见面审批”). */
export const CURRENT_YEAR_PROFILE: OnlineProfile = {
  total: 713_752,
  monthWeights: [0.55, 0.5, 0.9, 1.35, 1.15, 1.0, 0.95, 0.95, 1.0, 0.95, 1.25, 1.3],
  itemCount: SERVICE_ITEMS.length,
  channelMix: { pc: 38, mobile: 42, window: 12, self_service: 8 },
};

/** The year before: 38383, a smaller catalogue, mostly the PC portal and windows, ramping up over the year. */
export const PREVIOUS_YEAR_PROFILE: OnlineProfile = {
  total: 38_383,
  monthWeights: [0.5, 0.45, 0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.1, 1.2, 1.4, 1.6],
  itemCount: 45,
  channelMix: { pc: 60, mobile: 10, window: 25, self_service: 5 },
};

export interface ItemProfile extends ServiceItem {
  popularity: number;
  /** 全程网办 on the pc and mobile channels. */
  fullyOnline: boolean;
}

/**
 * The catalogue in a popularity order fixed for a seed (the same for every year, so last year's items
 * are this year's top ones), with Zipf-like popularity; seven in ten items are 全程网办.
 */
export function onlineItems(seed: number): ItemProfile[] {
  const rng = Rng.for(seed, 'online.items');
  return rng
    .shuffle([...SERVICE_ITEMS])
    .map((item, rank) => ({ ...item, popularity: 1 / (rank + 1) ** 0.9, fullyOnline: rng.chance(0.7) }));
}

/** Relative 办件量 of a day: the profile's month weight × day kind (weekends and holidays quiet). */
export function onlineDayWeight(profile: OnlineProfile, day: Pick<CalendarDay, 'month' | 'kind'>): number {
  return profile.monthWeights[day.month - 1]! * (day.kind === 'workday' ? 1 : day.kind === 'weekend' ? 0.3 : 0.12);
}

export function generateOnline(ctx: GeneratorContext, profile: OnlineProfile, items: readonly ItemProfile[]): FeedOutput {
  const rng = ctx.rng('online');
  const total = scaled(profile.total, ctx.scale);
  const offered = items.slice(0, profile.itemCount);
  const cells = offered.flatMap((item) =>
    CHANNELS.map((channel) => ({ item, channel, weight: item.popularity * profile.channelMix[channel] })),
  );
  const dayWeights = ctx.days.map((d) => noisy(rng, onlineDayWeight(profile, d) * ctx.monthFactors[d.month - 1]!, 0.2));
  const perDay = allocate(total, dayWeights);
  const tally = new Tally();
  const records: FeedRecord[] = [];
  ctx.days.forEach((day, d) => {
    const dayTotal = perDay[d]!;
    if (dayTotal === 0) return;
    const weights = cells.map((c) => noisy(rng, c.weight, 0.5));
    const active = [...rng.weightedSample(weights, Math.min(cells.length, Math.ceil(dayTotal / AVERAGE_ROW_COUNT)))].sort((a, b) => a - b);
    const counts = allocate(
      dayTotal - active.length,
      active.map((i) => weights[i]!),
    ).map((n) => n + 1);
    active.forEach((cellIndex, k) => {
      const { item, channel } = cells[cellIndex]!;
      const count = counts[k]!;
      const fullyOnline = item.fullyOnline && (channel === 'pc' || channel === 'mobile');
      tally.add(day.month, 'volume', count);
      if (fullyOnline) tally.add(day.month, 'volume.fullyOnline', count);
      if (channel === 'mobile') tally.add(day.month, 'volume.mobile', count);
      records.push(...rowVersions(rng, day.date, day.startMs, item, channel, fullyOnline, count));
    });
  });
  return { records, tally };
}

/** The row as sent: usually once; sometimes a first count and its correction, both stamped `asOf`. */
function rowVersions(
  rng: Rng,
  date: string,
  dayStart: number,
  item: ServiceItem,
  channel: Channel,
  fullyOnline: boolean,
  count: number,
): FeedRecord[] {
  const row: FeedRecord = {
    date,
    itemCode: item.itemCode,
    channel: writeEnum(rng, channel, CHANNEL_LABELS),
    count: rng.chance(0.1) ? String(count) : count,
  };
  if (rng.chance(0.8)) row.itemName = item.itemName;
  if (rng.chance(0.9)) row.department = item.department;
  if (fullyOnline) row.fullyOnline = writeBoolean(rng, true);
  else if (rng.chance(0.4)) row.fullyOnline = writeBoolean(rng, false);
  const nightlyExport = dayStart + DAY_MS + 90 * MINUTE_MS;
  if (rng.chance(0.004)) {
    // The nightly export missed or double-counted a few; the next day's export has the right count.
    const firstCount = rng.chance(0.5) ? count + rng.int(1, 5) : Math.max(0, count - rng.int(1, 5));
    return [
      { ...row, count: firstCount, asOf: writeTime(rng, nightlyExport) },
      { ...row, asOf: writeTime(rng, nightlyExport + DAY_MS + 8 * HOUR_MS) },
    ];
  }
  if (rng.chance(0.1)) row.asOf = writeTime(rng, nightlyExport);
  return [row];
}

/** 一网通办 expectations from the generator's counts; year-on-year when the year before was generated. */
export function onlineExpectations(get: (field: string) => number, previous?: (field: string) => number): Record<string, Expectation> {
  const volume = get('volume');
  const out: Record<string, Expectation> = {
    'online.volume': volume,
    'online.fullyOnlineRate': fraction(get('volume.fullyOnline'), volume),
    'online.mobileShare': fraction(get('volume.mobile'), volume),
  };
  if (previous) {
    const before = previous('volume');
    out['online.yoyMultiple'] = fraction(volume, before);
    out['online.yoyGrowth'] = fraction(volume - before, before);
  }
  return out;
}
