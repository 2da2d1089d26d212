import type { Redis } from 'ioredis';
import type { GroupedKpisResponse, KpiGroup, SeriesInterval, SeriesResponse } from '../../shared/api-types.ts';
import { DIMENSIONS, ALL_DIMENSIONS, DRILL_PATHS, feedsDrilling, pathName } from '../../shared/feeds/dimensions.ts';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { KPI_BY_ID, KPI_DEFINITIONS, computeKpis, type KpiValue } from '../../shared/kpis.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import type { Settings } from '../../shared/settings.ts';
import { addDays, daysInRange, isLocalDay, type LocalDay } from '../../shared/time.ts';
import {
  addInto,
  readBuckets,
  readPeriodTotals,
  sameDayLastYear,
  sumBucket,
  sumBucketGroups,
  sumBucketPathGroups,
  type Bucket,
  type MutableFields,
} from './bucket-reader.ts';
import { readLiveFields } from './live-figures.ts';
import { withTargets, type TargetsService } from './targets-service.ts';
import { publishedKeys, publishedLiveFields } from './closed-year/published-keys.ts';

/** The longest period one request may cover, in days (about ten years). */
export const MAX_PERIOD_DAYS = 3_700;

/** Validates a period of local days; `to` defaults to `from`. */
export function parsePeriod(from: unknown, to: unknown): { from: LocalDay; to: LocalDay } {
  if (typeof from !== 'string' || !isLocalDay(from)) {
    throw new AppError('validation_failed', msg('kpi.bad_from'));
  }
  const end = to === undefined || to === '' ? from : to;
  if (typeof end !== 'string' || !isLocalDay(end)) {
    throw new AppError('validation_failed', msg('kpi.bad_to'));
  }
  if (end < from) throw new AppError('validation_failed', msg('kpi.to_before_from'));
  if (daysInRange(from, end).length > MAX_PERIOD_DAYS) {
    throw new AppError('validation_failed', msg('kpi.period_too_long', { max: MAX_PERIOD_DAYS }));
  }
  return { from, to: end };
}

/** The first day of the bucket `day` falls in, for series. */
function bucketStart(day: LocalDay, interval: Exclude<SeriesInterval, 'hour'>): LocalDay {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // ISO weeks start on Monday
  return addDays(day, -((weekday + 6) % 7));
}

/** Reference data the crossRegion KPIs count (core/services/reference-service.ts). */
export interface ReferenceCounts {
  countsAsOf(
    day: LocalDay,
  ): Promise<{ partners: number; partnersByScope: Record<'inter_provincial' | 'changzhutan', number>; items: number }>;
}

export interface KpiServiceOptions {
  reference?: ReferenceCounts;
  targets?: TargetsService;
  /** Read the live buckets even for closed years (their adjustments); otherwise a closed year's figures are its published ones. */
  live?: boolean;
}

/**
 * Computes KPIs from the pre-aggregated day buckets (one pipelined HGETALL per feed and day, never a
 * scan of raw records), adding the synthetic fields the definitions read: active days, the same period
 * a year earlier, live sets, reference data (shared/kpis/kpi-helpers.ts).
 */
export class KpiService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly settings: Settings;
  private readonly feedsWithPreviousYear: ReadonlySet<FeedName>;

  private readonly ctx: CoreContext;
  private readonly feeds: readonly FeedName[];
  private readonly options: KpiServiceOptions;

  constructor(ctx: CoreContext, feeds: readonly FeedName[], options: KpiServiceOptions = {}) {
    this.ctx = ctx;
    this.feeds = feeds;
    this.options = options;
    ({ redis: this.redis, keys: this.keys, settings: this.settings } = ctx);
    this.feedsWithPreviousYear = new Set(KPI_DEFINITIONS.filter((k) => k.needsPreviousYear).map((k) => k.feed));
  }

  private now(): number {
    return this.ctx.now();
  }

  /** Bucket keys of this read: a closed year's days read its published (frozen) buckets (closed-year/published-keys.ts). */
  private bucketKeys(): Promise<RedisKeys> {
    return this.options.live ? Promise.resolve(this.keys) : publishedKeys(this.redis, this.keys);
  }

  /** Previous-year buckets of the feeds that need them, day by day aligned with `days`. */
  private async readPreviousYear(days: LocalDay[], keys: RedisKeys): Promise<Map<FeedName, Bucket[]>> {
    const feeds = this.feeds.filter((f) => this.feedsWithPreviousYear.has(f));
    if (feeds.length === 0) return new Map();
    return readBuckets(this.redis, keys, feeds, days.map(sameDayLastYear));
  }

  /** Every feed's fields over the period: day totals, `_days.active`, `_prev.*`, `_live.*`, `_ref.*`. */
  private async periodFields(from: LocalDay, to: LocalDay): Promise<Partial<Record<FeedName, MutableFields>>> {
    const previousFeeds = this.feeds.filter((f) => this.feedsWithPreviousYear.has(f));
    const keys = await this.bucketKeys();
    const liveOptions = { tz: this.ctx.tz, settings: this.settings, now: this.now() };
    const [totals, previous, live, reference, published] = await Promise.all([
      readPeriodTotals(this.redis, keys, this.feeds, from, to),
      readPeriodTotals(this.redis, keys, previousFeeds, sameDayLastYear(from), sameDayLastYear(to), '_prev.'),
      readLiveFields(this.redis, this.keys, this.feeds, { from, to }, liveOptions),
      this.feeds.includes('crossRegion') && this.options.reference ? this.options.reference.countsAsOf(to) : null,
      this.options.live ? null : publishedLiveFields(this.redis, keys, this.feeds, { from, to }, liveOptions),
    ]);
    const fields: Partial<Record<FeedName, MutableFields>> = {};
    for (const feed of this.feeds) {
      const { totals: sum, activeDays } = totals.get(feed)!;
      sum['_days.active'] = activeDays;
      Object.assign(sum, previous.get(feed)?.totals, live[feed], published?.[feed]);
      fields[feed] = sum;
    }
    if (reference && fields.crossRegion) {
      Object.assign(fields.crossRegion, {
        '_ref.partners': reference.partners,
        '_ref.partners.inter_provincial': reference.partnersByScope.inter_provincial,
        '_ref.partners.changzhutan': reference.partnersByScope.changzhutan,
        '_ref.items': reference.items,
      });
    }
    return fields;
  }

  private async targetsFor(from: LocalDay, to: LocalDay) {
    // A year's targets apply to periods within that year.
    if (!this.options.targets || from.slice(0, 4) !== to.slice(0, 4)) return null;
    return this.options.targets.get(Number(from.slice(0, 4)));
  }

  /**
   * The period's KPIs; with `groupBy` also one group per value of that dimension. `where` (a drill-down:
   * `[["category", "城市管理"]]`) keeps only the counts within those values of the levels above `groupBy`
   * on a feed's drill path (shared/feeds/dimensions.ts DRILL_PATHS); the period totals stay unfiltered.
   */
  async getKpis(
    from: LocalDay,
    to: LocalDay,
    groupBy?: string,
    where: readonly (readonly [dimension: string, value: string])[] = [],
  ): Promise<GroupedKpisResponse> {
    if (where.length > 0 && groupBy === undefined) throw new AppError('validation_failed', msg('kpi.where_needs_group_by'));
    const [fields, targets, groups] = await Promise.all([
      this.periodFields(from, to),
      this.targetsFor(from, to),
      groupBy === undefined ? undefined : this.getGroups(from, to, groupBy, where),
    ]);
    const response: GroupedKpisResponse = {
      period: { from, to },
      kpis: withTargets(computeKpis(fields, this.settings), targets),
    };
    if (groupBy === undefined) return response;
    response.groupBy = groupBy;
    if (where.length > 0) response.where = Object.fromEntries(where);
    response.groups = groups;
    return response;
  }

  /**
   * The groups of getKpis alone, one per value of `groupBy` (optionally within a drill-down `where`), sorted
   * by value; bucket figures only — live and reference fields have no breakdown.
   */
  async getGroups(
    from: LocalDay,
    to: LocalDay,
    groupBy: string,
    where: readonly (readonly [dimension: string, value: string])[] = [],
  ): Promise<KpiGroup[]> {
    if (!ALL_DIMENSIONS.includes(groupBy)) {
      throw new AppError('validation_failed', msg('kpi.bad_group_by', { allowed: ALL_DIMENSIONS.join(', ') }));
    }
    const grouped =
      where.length > 0
        ? feedsDrilling([...where.map(([d]) => d), groupBy]).filter((f) => this.feeds.includes(f))
        : this.feeds.filter((feed) => DIMENSIONS[feed].includes(groupBy));
    if (where.length > 0 && grouped.length === 0) {
      const paths = Object.values(DRILL_PATHS).map((p) => p.join(' → '));
      throw new AppError('validation_failed', msg('kpi.not_drill_path', { paths: paths.join('; ') }));
    }
    const sumGroups =
      where.length > 0
        ? (bucket: Bucket, into: Map<string, MutableFields>) => sumBucketPathGroups(bucket, `|${pathName(where)}>${groupBy}=`, into)
        : (bucket: Bucket, into: Map<string, MutableFields>) => sumBucketGroups(bucket, groupBy, into);
    // A path of `where` + groupBy levels lives in the hash of that depth (2 or 3).
    const kind = where.length === 0 ? 'dim' : where.length === 1 ? 'path2' : 'path3';
    const buckets = await readBuckets(this.redis, await this.bucketKeys(), grouped, daysInRange(from, to), kind);

    const groups = new Map<string, Record<string, KpiValue>>();
    for (const feed of grouped) {
      const byValue = new Map<string, MutableFields>();
      for (const bucket of buckets.get(feed)!) {
        const today = new Map<string, MutableFields>();
        sumGroups(bucket, today);
        for (const [value, dayFields] of today) {
          let total = byValue.get(value);
          if (!total) byValue.set(value, (total = { '_days.active': 0 }));
          for (const [name, n] of Object.entries(dayFields)) addInto(total, name, n);
          total['_days.active']! += 1;
        }
      }
      for (const [value, groupFields] of byValue) {
        const kpis = computeKpis({ [feed]: groupFields }, this.settings);
        groups.set(value, { ...groups.get(value), ...kpis });
      }
    }
    return [...groups].map(([key, kpis]) => ({ key, kpis })).sort((a, b) => a.key.localeCompare(b.key, 'zh-CN'));
  }

  async getSeries(ids: string[], from: LocalDay, to: LocalDay, interval: SeriesInterval): Promise<SeriesResponse> {
    const unknown = ids.filter((id) => !KPI_BY_ID.has(id));
    if (ids.length === 0 || unknown.length > 0) {
      throw new AppError('validation_failed', msg('kpi.unknown_ids', { ids: unknown.join(', ') || '—' }));
    }
    const days = daysInRange(from, to);
    if (interval === 'hour' && days.length > 31) {
      throw new AppError('validation_failed', msg('kpi.hourly_too_long'));
    }
    const feeds = [...new Set(ids.map((id) => KPI_BY_ID.get(id)!.feed))].filter((f) => this.feeds.includes(f));
    const keys = await this.bucketKeys();
    const [buckets, previous] = await Promise.all([
      readBuckets(this.redis, keys, feeds, days, interval === 'hour' ? 'hour' : 'total'),
      interval === 'hour' ? new Map<FeedName, Bucket[]>() : this.readPreviousYear(days, keys),
    ]);
    const labels: string[] = [];
    const perBucket = new Map<string, Partial<Record<FeedName, MutableFields>>>();
    const fieldsOf = (label: string, feed: FeedName): MutableFields => {
      let perFeed = perBucket.get(label);
      if (!perFeed) {
        perBucket.set(label, (perFeed = {}));
        labels.push(label);
      }
      return (perFeed[feed] ??= { '_days.active': 0 });
    };
    days.forEach((day, d) => {
      if (interval === 'hour') {
        for (let h = 0; h < 24; h++) for (const feed of feeds) fieldsOf(`${day} ${h < 10 ? '0' : ''}${h}:00`, feed);
      }
      for (const feed of feeds) {
        const bucket = buckets.get(feed)![d]!;
        if (interval === 'hour') {
          for (const name in bucket) {
            const at = name.indexOf('@');
            if (at > 0) addInto(fieldsOf(`${day} ${name.slice(at + 1)}:00`, feed), name.slice(0, at), Number(bucket[name]));
          }
          continue;
        }
        const target = fieldsOf(bucketStart(day, interval), feed);
        sumBucket(bucket, target);
        if (Object.keys(bucket).length > 0) target['_days.active']! += 1;
        const prev = previous.get(feed)?.[d];
        if (prev) sumBucket(prev, target, '_prev.');
      }
    });
    const series: Record<string, KpiValue[]> = Object.fromEntries(ids.map((id) => [id, [] as KpiValue[]]));
    for (const label of labels) {
      const kpis = computeKpis(perBucket.get(label)!, this.settings);
      for (const id of ids) {
        // Live figures have no history: a series of them is all null.
        series[id]!.push(KPI_BY_ID.get(id)!.kind === 'live' ? { value: null } : (kpis[id] ?? { value: null }));
      }
    }
    return { period: { from, to }, interval, buckets: labels, series };
  }
}
