import type { OnlineVolumeRow } from './feed.ts';
import { dayStartUtc } from '../../../shared/time.ts';
import type { ContributionEntry, FeedApplier } from '../feed-applier.ts';
import type { OnlineField } from '../../../shared/feeds/online/fields.ts';

/**
 * 一网通办 volume rows: one entity per (date, itemCode, channel) holding one row, which a corrected
 * row replaces (snapshot). The row counts at the start of its local day: `volume`, and of it
 * `volume.fullyOnline` (全程网办) and `volume.mobile` (掌上办), by channel, department and item.
 */
export const onlineApplier: FeedApplier<OnlineVolumeRow, OnlineField, never> = {
  feed: 'online',
  entityOf: (r) => `${r.date}|${r.itemCode}|${r.channel}`,
  slotOf: () => 'row',
  snapshot: (r) => (r.asOf === undefined ? {} : { asOf: r.asOf }),
  contribution(_entity, records, { tz }) {
    const row = records.get('row');
    if (!row) return { entries: [] };
    const at = dayStartUtc(row.date, tz);
    const dims = { channel: row.channel, department: row.department, item: row.itemCode };
    const entries: ContributionEntry<OnlineField>[] = [{ at, field: 'volume', n: row.count, dims }];
    if (row.fullyOnline) entries.push({ at, field: 'volume.fullyOnline', n: row.count, dims });
    if (row.channel === 'mobile') entries.push({ at, field: 'volume.mobile', n: row.count, dims });
    return { entries };
  },
};
