import { encodeDimValue } from '../../../shared/feeds/dimensions.ts';
import type { HallFootfallRow, HallQueueRecord, HallQueueStep, HallRecord } from './feed.ts';
import type { Settings } from '../../../shared/settings.ts';
import type { Contribution, ContributionEntry, FeedApplier, LiveMember } from '../feed-applier.ts';
import type { HallField } from '../../../shared/feeds/hall/fields.ts';
import type { HallLiveSet } from '../../../shared/feeds/hall/index.ts';

/**
 * Live set of visitors waiting: member `<hall>|<local date>|<queueId>` (hall and queueId through encodeDimValue,
 * so a `|` in them cannot shift the split), score = time the number was taken (epoch ms).
 */
export const WAITING_SET: HallLiveSet = 'waiting';

/** A visit's window and service come from whichever step carries them, `taken` first. */
const STEP_ORDER: readonly HallQueueStep[] = ['taken', 'called', 'served', 'abandoned'];

/** Whole seconds from `from` to `to`, never negative (a clock that ran backwards counts as no time). */
const secondsBetween = (from: number, to: number) => Math.max(0, Math.round((to - from) / 1000));

function visitContribution(steps: ReadonlyMap<HallQueueStep, HallQueueRecord>, settings: Settings): Contribution<HallField, HallLiveSet> {
  const present = STEP_ORDER.map((s) => steps.get(s)).filter((r): r is HallQueueRecord => r !== undefined);
  const first = present[0];
  if (!first) return { entries: [] };
  const dims = {
    hall: first.hall,
    window: present.find((r) => r.window !== undefined)?.window,
    service: present.find((r) => r.service !== undefined)?.service,
  };
  const entries: ContributionEntry<HallField>[] = [];
  const add = (at: number, field: HallField, n = 1) => entries.push({ at, field, n, dims });

  for (const record of present) add(record.at, record.type);

  const taken = steps.get('taken');
  const called = steps.get('called');
  const served = steps.get('served');
  if (taken && called) {
    const waitSeconds = secondsBetween(taken.at, called.at);
    add(called.at, 'wait.count');
    add(called.at, 'wait.sumSeconds', waitSeconds);
    if (waitSeconds <= settings.hallWaitLimitMinutes * 60) add(called.at, 'wait.withinTarget');
  }
  if (called && served) {
    add(served.at, 'service.count');
    add(served.at, 'service.sumSeconds', secondsBetween(called.at, served.at));
  }
  const members: LiveMember<HallLiveSet>[] = [];
  if (taken && !called && !served && !steps.has('abandoned')) {
    members.push({
      set: WAITING_SET,
      member: `${encodeDimValue(taken.hall)}|${taken.day}|${encodeDimValue(taken.queueId)}`,
      score: taken.at,
    });
  }
  return { entries, members };
}

function footfallContribution(row: HallFootfallRow): Contribution<HallField, HallLiveSet> {
  return { entries: [{ at: row.at, field: 'visitors', n: row.entries, dims: { hall: row.hall } }] };
}

/**
 * Hall records. A visit (entity `q|<hall>|<local date>|<queueId>`, hall and queueId through encodeDimValue, one slot per step) counts each step
 * at its own time; its wait (called − taken) counts at `called`, its service time (served − called) at
 * `served`, once both ends are there, whatever their arrival order; while it has only been taken it is
 * in the live `waiting` set. A footfall row (entity `f|<hall>|<at ms>`) is a snapshot: `visitors` = entries.
 */
export const hallApplier: FeedApplier<HallRecord, HallField, HallLiveSet> = {
  feed: 'hall',
  // The local date is the one normalisation computed (the record's natural key), not recomputed here.
  entityOf: (r) => (r.type === 'footfall' ? `f|${r.hall}|${r.at}` : `q|${encodeDimValue(r.hall)}|${r.day}|${encodeDimValue(r.queueId)}`),
  slotOf: (r) => r.type,
  snapshot: (r) => (r.type !== 'footfall' ? null : r.asOf === undefined ? {} : { asOf: r.asOf }),
  // `_live.waitingNow` counts the numbers taken today (core/services/live-figures.ts).
  todayOnlyLiveSets: [WAITING_SET],
  contribution(_entity, records, { settings }) {
    const steps = new Map<HallQueueStep, HallQueueRecord>();
    for (const record of records.values()) {
      if (record.type === 'footfall') return footfallContribution(record);
      steps.set(record.type, record);
    }
    return visitContribution(steps, settings);
  },
};
