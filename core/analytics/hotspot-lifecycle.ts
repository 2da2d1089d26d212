import { createHash } from 'node:crypto';
import type { Alarm } from './hotspot-detector.ts';
import { seriesKey, type StoredHotspot } from './hotspot-store.ts';

/** A series raised again within this long after its hotspot ended extends that hotspot instead of raising a new one. */
export const EXTEND_WITHIN_MS = 24 * 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** A stable id: the raise's minute and the series (`hs-202603040915-1a2b3c4d`). */
export function hotspotId(key: string, raisedAt: number): string {
  const minute = iso(raisedAt).slice(0, 16).replace(/[-T:]/g, '');
  return `hs-${minute}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/**
 * A hotspot's tickets so far, then the window's that are new, in that order; `so far` itself when none is new.
 * A big surge holds hundreds of thousands: while the window still holds them all it starts with them, and the
 * union is the window's list without a set of either.
 */
function accumulate(soFar: readonly string[], window: readonly string[]): string[] {
  if (window.length >= soFar.length && soFar.every((id, i) => window[i] === id)) {
    return window.length === soFar.length ? (soFar as string[]) : [...soFar, ...window.slice(soFar.length)];
  }
  const ids = new Set(soFar);
  for (const id of window) ids.add(id);
  return ids.size === soFar.length ? (soFar as string[]) : [...ids];
}

/**
 * What the detector's alarms at `now` change (pure): an alarm of an active hotspot's series updates it (its
 * tickets so far kept); of a series whose hotspot ended less than EXTEND_WITHIN_MS ago reopens that one;
 * otherwise a new hotspot is raised. An active hotspot without an alarm ends now. `activeChanged` says whether
 * what the wall shows changed.
 */
export function reconcile(
  state: { active: readonly StoredHotspot[]; latestBySeries: ReadonlyMap<string, StoredHotspot> },
  alarms: readonly Alarm[],
  now: number,
): { changed: StoredHotspot[]; raised: StoredHotspot[]; ended: StoredHotspot[]; activeChanged: boolean } {
  const changed: StoredHotspot[] = [];
  const raised: StoredHotspot[] = [];
  const ended: StoredHotspot[] = [];
  let activeChanged = false;
  const activeByKey = new Map(state.active.map((h) => [seriesKey(h), h]));
  for (const alarm of alarms) {
    const figures = { observed: alarm.observed, expected: alarm.expected, score: alarm.score, level: alarm.level };
    const previous = activeByKey.get(alarm.key) ?? state.latestBySeries.get(alarm.key);
    if (previous && (previous.end === null || now - Date.parse(previous.end) <= EXTEND_WITHIN_MS)) {
      const ticketIds = accumulate(previous.ticketIds, alarm.ticketIds);
      const next: StoredHotspot = { ...previous, ...figures, end: null, ticketIds };
      const same =
        ticketIds === previous.ticketIds &&
        previous.end === null &&
        (Object.keys(figures) as (keyof typeof figures)[]).every((k) => figures[k] === previous[k]);
      if (!same) {
        changed.push(next);
        activeChanged = true;
      }
      activeByKey.delete(alarm.key);
      continue;
    }
    const hotspot: StoredHotspot = {
      id: hotspotId(alarm.key, now),
      ...(alarm.category !== undefined && { category: alarm.category }),
      ...(alarm.street !== undefined && { street: alarm.street }),
      start: iso(alarm.start),
      end: null,
      raisedAt: iso(now),
      ...figures,
      ticketIds: alarm.ticketIds,
    };
    changed.push(hotspot);
    raised.push(hotspot);
    activeChanged = true;
  }
  for (const h of activeByKey.values()) {
    const done = { ...h, end: iso(now) };
    changed.push(done);
    ended.push(done);
    activeChanged = true;
  }
  return { changed, raised, ended, activeChanged };
}
