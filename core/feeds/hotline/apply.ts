import { encodeDimValue } from '../../../shared/feeds/dimensions.ts';
import type { HotlineMilestone, HotlineMilestoneType } from './feed.ts';
import type { Settings } from '../../../shared/settings.ts';
import { localDayHour } from '../../../shared/time.ts';
import type { ContributionEntry, FeedApplier, LiveMember } from '../feed-applier.ts';
import type { HotlineField } from '../../../shared/feeds/hotline/fields.ts';
import type { HotlineLiveSet } from '../../../shared/feeds/hotline/index.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Ticket attributes come from whichever milestone carries them, `signed` first. */
const ATTRIBUTE_PRECEDENCE: readonly HotlineMilestoneType[] = ['signed', 'received', 'responded', 'completed', 'visited'];

function attribute<K extends keyof HotlineMilestone>(records: ReadonlyMap<string, HotlineMilestone>, key: K): HotlineMilestone[K] {
  for (const type of ATTRIBUTE_PRECEDENCE) {
    const value = records.get(type)?.[key];
    if (value !== undefined) return value;
  }
  return undefined as HotlineMilestone[K];
}

/**
 * A ticket's deadline (办理时限, epoch ms): the one its milestones carry, else the configured limit for its
 * urgency after `signed`; undefined before it is signed.
 */
export function ticketDeadline(records: ReadonlyMap<string, HotlineMilestone>, settings: Settings): number | undefined {
  const signed = records.get('signed');
  if (!signed) return undefined;
  const urgency = signed.urgency ?? attribute(records, 'urgency') ?? 'normal';
  return attribute(records, 'deadline') ?? signed.at + settings.deadlineHours[urgency] * HOUR_MS;
}

/** Live set of open tickets: member `<signed local day>|<ticketId>`, score = deadline (epoch ms). The names: shared/feeds/hotline/index.ts. */
export const OPEN_TICKETS_SET: HotlineLiveSet = 'open';
/** Live sets of follow-ups that put a ticket under supervision (回访未解决 / 回访不满意): member ticketId, score = visited time. */
export const UNRESOLVED_SET: HotlineLiveSet = 'unresolved';
export const DISSATISFIED_SET: HotlineLiveSet = 'dissatisfied';
/**
 * Index of caller hashes (repeat calls): member `<callerHash>|<category>|<ticketId>` (category and ticketId through
 * encodeDimValue, so a `|` in them cannot shift the split), score = signed/received time.
 */
export const CALLERS_SET: HotlineLiveSet = 'callers';
/** Index of signed tickets for the hotspot detector: member `<category>|<street>|<ticketId>` (encodeDimValue), score = signed time. */
export const TICKETS_SET: HotlineLiveSet = 'tickets';

/**
 * A ticket's milestones: each counts on its own day; the follow-up's answers count on the follow-up's
 * day; cohort figures count on the day the ticket was received (timely signing) or signed (response,
 * screening, on-time completion) as soon as both milestones of the pair are there.
 */
export const hotlineApplier: FeedApplier<HotlineMilestone, HotlineField, HotlineLiveSet> = {
  feed: 'hotline',
  entityOf: (r) => r.ticketId,
  slotOf: (r) => r.type,
  contribution(ticketId, records, { settings, tz }) {
    const urgency = records.get('signed')?.urgency ?? attribute(records, 'urgency') ?? 'normal';
    const dims = {
      category: attribute(records, 'category'),
      street: attribute(records, 'street'),
      department: attribute(records, 'department'),
      source: attribute(records, 'source'),
      urgency,
    };
    const entries: ContributionEntry<HotlineField>[] = [];
    const members: LiveMember<HotlineLiveSet>[] = [];
    const add = (at: number, field: HotlineField) => entries.push({ at, field, dims });

    for (const record of records.values()) add(record.at, record.type);

    const visited = records.get('visited');
    if (visited) {
      if (visited.resolved !== undefined) {
        add(visited.at, 'visited.resolvedKnown');
        if (visited.resolved) add(visited.at, 'visited.resolvedYes');
        else {
          add(visited.at, 'supervised.unresolved');
          members.push({ set: UNRESOLVED_SET, member: ticketId, score: visited.at });
        }
      }
      if (visited.satisfaction !== undefined) {
        add(visited.at, `visited.sat.${visited.satisfaction}`);
        if (visited.satisfaction === 'dissatisfied' || visited.satisfaction === 'very_dissatisfied') {
          add(visited.at, 'supervised.dissatisfied');
          members.push({ set: DISSATISFIED_SET, member: ticketId, score: visited.at });
        }
      }
    }

    const received = records.get('received');
    const signed = records.get('signed');
    const responded = records.get('responded');
    const completed = records.get('completed');
    if (received) {
      add(received.at, 'cohort.received');
      if (signed && signed.at - received.at <= settings.signLimitMinutes * MINUTE_MS) add(received.at, 'cohort.signedInTime');
    }
    if (signed) {
      if (urgency === 'normal' || urgency === 'complex') {
        const limit = urgency === 'normal' ? settings.normalResponseLimitMinutes : settings.complexScreeningLimitMinutes;
        add(signed.at, `cohort.${urgency}Signed`);
        if (responded && responded.at - signed.at <= limit * MINUTE_MS) add(signed.at, `cohort.${urgency}RespondedInTime`);
      }
      const where = `${encodeDimValue(dims.category ?? '')}|${encodeDimValue(dims.street ?? '')}`;
      members.push({ set: TICKETS_SET, member: `${where}|${encodeDimValue(ticketId)}`, score: signed.at });
      const deadline = ticketDeadline(records, settings)!;
      if (completed) {
        add(signed.at, 'cohort.completed');
        if (completed.at <= deadline) add(signed.at, 'cohort.completedOnTime');
      } else {
        members.push({ set: OPEN_TICKETS_SET, member: `${localDayHour(signed.at, tz).day}|${ticketId}`, score: deadline });
      }
    }

    const callerHash = attribute(records, 'callerHash');
    const firstContact = received ?? signed;
    if (callerHash && firstContact) {
      members.push({
        set: CALLERS_SET,
        member: `${callerHash}|${encodeDimValue(dims.category ?? '')}|${encodeDimValue(ticketId)}`,
        score: firstContact.at,
      });
    }
    return { entries, members };
  },
};
