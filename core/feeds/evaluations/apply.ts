import type { EvaluationRecord } from './feed.ts';
import type { ContributionEntry, FeedApplier } from '../feed-applier.ts';
import type { EvaluationField } from '../../../shared/feeds/evaluations/fields.ts';

/** The one slot of a rating's entity: a rating id names exactly one rating. */
const RATING_SLOT = 'rating';

/**
 * A 好差评 rating counts on the day it was given: `count`, `rating.<1–5>`, and `positive` (4–5, 好评)
 * or `negative` (1–2, 差评), broken down by channel, department and hall.
 */
export const evaluationsApplier: FeedApplier<EvaluationRecord, EvaluationField, never> = {
  feed: 'evaluations',
  entityOf: (r) => r.id,
  slotOf: () => RATING_SLOT,
  contribution(_id, records) {
    const record = records.get(RATING_SLOT);
    if (!record) return { entries: [] };
    const dims = { channel: record.channel, department: record.department, hall: record.hall };
    const entries: ContributionEntry<EvaluationField>[] = [];
    const add = (field: EvaluationField) => entries.push({ at: record.at, field, dims });
    add('count');
    add(`rating.${record.rating}`);
    if (record.rating >= 4) add('positive');
    if (record.rating <= 2) add('negative');
    return { entries };
  },
};
