import { FEEDS as CORE_FEEDS } from '../core/feeds/index.ts';
import type { FeedName } from '../shared/feeds/feed.ts';
import type { Fields } from '../shared/kpis.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import { daysInRange, localDayHour, type LocalDay } from '../shared/time.ts';
import type { FeedRecord } from '../scripts/simulator/year.ts';

/**
 * The day totals Pulse's buckets would hold for generated records, computed in memory with the feeds' own
 * normalize and appliers (core/feeds/<feed>/): each ledger entity's contribution, counted on the local day
 * of each entry. What bench/projection-backtest.ts projects without Redis; tests/contract/projection.test.ts
 * checks it gives the same projection as the buckets read over HTTP.
 */
export function dayTotals(
  records: Partial<Record<FeedName, readonly FeedRecord[]>>,
  year: number,
  tz = 'Asia/Shanghai',
): Partial<Record<FeedName, Fields[]>> {
  const days = daysInRange(`${year}-01-01`, `${year}-12-31`);
  const index = new Map<LocalDay, number>(days.map((d, i) => [d, i]));
  const out: Partial<Record<FeedName, Fields[]>> = {};
  for (const [feed, list] of Object.entries(records) as [FeedName, FeedRecord[]][]) {
    const core = CORE_FEEDS[feed] as unknown as (typeof CORE_FEEDS)['hotline'];
    const entities = new Map<string, Map<string, Parameters<typeof core.applier.slotOf>[0]>>();
    for (const raw of list) {
      const result = core.normalize(raw, { tz, hashPhone: (phone) => phone });
      if (!result.ok) throw new Error(`${feed}: a generated record was refused: ${JSON.stringify(result.errors)}`);
      const entity = core.applier.entityOf(result.record, tz);
      let slots = entities.get(entity);
      if (!slots) entities.set(entity, (slots = new Map()));
      slots.set(core.applier.slotOf(result.record), result.record);
    }
    const totals = days.map(() => ({}) as Record<string, number>);
    for (const [entity, slots] of entities) {
      for (const entry of core.applier.contribution(entity, slots, { settings: DEFAULT_SETTINGS, tz }).entries) {
        const d = index.get(localDayHour(entry.at, tz).day);
        if (d === undefined) continue;
        totals[d]![entry.field] = (totals[d]![entry.field] ?? 0) + (entry.n ?? 1);
      }
    }
    out[feed] = totals;
  }
  return out;
}
