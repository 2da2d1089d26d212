import { MINUTE_MS, SECOND_MS, formatTime, toEpochMs, toWallMs } from './calendar.ts';
import type { Hall } from './catalogue.ts';
import type { FeedRecord } from './context.ts';
import type { OnlineCell } from './live-state.ts';
import { onlineRow } from './today.ts';

/**
 * The live stream's running counts that are sent as snapshot rows (FEEDS.md): today's 一网通办 count
 * per item and channel, and each hall's footfall per 15-minute interval. A row is re-sent as its
 * count grows, each with a later `asOf`, so Pulse keeps the latest.
 */

const FOOTFALL_INTERVAL_MS = 15 * MINUTE_MS;
/** A hall's running footfall count is reported this often. */
export const FOOTFALL_EVERY_MS = 3 * MINUTE_MS;
const iso = (wall: number) => formatTime(wall, true);
/** An `asOf` one second after the last one at least, so two rows of a key never tie. */
const nextAsOfSec = (now: number, lastAsOfSec: number) => Math.max(Math.floor(now / SECOND_MS), lastAsOfSec + 1);

interface LiveCell extends OnlineCell {
  dirty: boolean;
  lastAsOfSec: number;
}

/** Today's 一网通办 counts per item and channel. */
export class OnlineCounts {
  private cells = new Map<string, LiveCell>();

  /** Carries on from a checkpoint's counts: all are re-sent, after `asOfSec`. */
  restore(online: Record<string, OnlineCell>, asOfSec: number): void {
    for (const [key, cell] of Object.entries(online)) this.cells.set(key, { ...cell, dirty: true, lastAsOfSec: asOfSec });
  }

  /** One more 办件 of `cell`'s item and channel. */
  add(cell: Omit<OnlineCell, 'count'>): void {
    const key = `${cell.itemCode}|${cell.channel}`;
    let live = this.cells.get(key);
    if (!live) this.cells.set(key, (live = { ...cell, count: 0, dirty: false, lastAsOfSec: 0 }));
    live.count += 1;
    live.dirty = true;
  }

  /** Rows of the counts that changed, at most one a second per item and channel unless `final`. */
  rows(date: string, now: number, final = false): FeedRecord[] {
    const nowSec = Math.floor(now / SECOND_MS);
    const rows: FeedRecord[] = [];
    for (const cell of this.cells.values()) {
      if (!cell.dirty || (nowSec <= cell.lastAsOfSec && !final)) continue;
      cell.lastAsOfSec = nextAsOfSec(now, cell.lastAsOfSec);
      cell.dirty = false;
      rows.push(onlineRow(date, cell, toWallMs(cell.lastAsOfSec * SECOND_MS)));
    }
    return rows;
  }

  /** A new day starts from zero. */
  clear(): void {
    this.cells = new Map();
  }

  state(): Record<string, OnlineCell> {
    return Object.fromEntries([...this.cells].map(([key, { dirty: _dirty, lastAsOfSec: _sec, ...cell }]) => [key, cell]));
  }
}

interface FootfallCounter {
  atMs: number;
  entries: number;
  lastRowMs: number;
  lastAsOfSec: number;
}

/** Each hall's entries in the current 15-minute interval. */
export class FootfallCounts {
  private readonly counters = new Map<string, FootfallCounter>();

  private readonly halls: readonly Hall[];

  constructor(
    halls: readonly Hall[],
    now: number,
    carried: Record<string, { atMs: number; entries: number }> | undefined,
    baseAsOfSec: number,
  ) {
    this.halls = halls;
    halls.forEach((hall, i) => {
      const from = carried?.[hall.name];
      // Rows per hall every few minutes, the halls staggered by 20 s.
      this.counters.set(hall.name, {
        atMs: from?.atMs ?? intervalStart(now),
        entries: from?.entries ?? 0,
        lastRowMs: now - FOOTFALL_EVERY_MS + (i + 1) * 20 * SECOND_MS,
        lastAsOfSec: baseAsOfSec,
      });
    });
  }

  add(hallName: string, entries: number): void {
    this.counters.get(hallName)!.entries += entries;
  }

  /**
   * The running count of each hall's interval every few minutes, and its final count when the interval
   * ends; `reported` says whether a hall with no entries yet still reports its interval (open halls do).
   */
  rows(now: number, reported: (hall: Hall, atMs: number) => boolean): FeedRecord[] {
    const current = intervalStart(now);
    const rows: FeedRecord[] = [];
    for (const hall of this.halls) {
      const ff = this.counters.get(hall.name)!;
      const report = (atMs: number) => ff.entries > 0 || reported(hall, atMs);
      if (ff.atMs !== current) {
        if (report(ff.atMs)) rows.push(this.row(hall, ff, now));
        Object.assign(ff, { atMs: current, entries: 0, lastAsOfSec: 0 });
      }
      if (now - ff.lastRowMs >= FOOTFALL_EVERY_MS && report(ff.atMs)) rows.push(this.row(hall, ff, now));
    }
    return rows;
  }

  private row(hall: Hall, ff: FootfallCounter, now: number): FeedRecord {
    ff.lastAsOfSec = nextAsOfSec(now, ff.lastAsOfSec);
    ff.lastRowMs = now;
    return {
      type: 'footfall',
      hall: hall.name,
      at: iso(toWallMs(ff.atMs)),
      entries: ff.entries,
      asOf: iso(toWallMs(ff.lastAsOfSec * SECOND_MS)),
    };
  }

  state(): Record<string, { atMs: number; entries: number }> {
    return Object.fromEntries([...this.counters].map(([hall, ff]) => [hall, { atMs: ff.atMs, entries: ff.entries }]));
  }
}

function intervalStart(epochMs: number): number {
  return toEpochMs(Math.floor(toWallMs(epochMs) / FOOTFALL_INTERVAL_MS) * FOOTFALL_INTERVAL_MS);
}

/** `YYYYMMDDHHmmss` of a wall time, for ids. */
const stamp = (wall: number) => new Date(wall).toISOString().slice(0, 19).replace(/[-:T]/g, '');

/** Ids `<prefix><YYYYMMDDHHmmss><n>`, numbered per prefix and second, so they are unique across runs of the stream. */
export class LiveIds {
  private readonly perPrefix = new Map<string, Map<string, number>>();
  /** Numbers of seconds older than this (before the latest id asked for) are forgotten. */
  private readonly keepMs: number;

  constructor(keepMs: number) {
    this.keepMs = keepMs;
  }

  next(prefix: string, wall: number, digits: number): string {
    let perSecond = this.perPrefix.get(prefix);
    if (!perSecond) this.perPrefix.set(prefix, (perSecond = new Map()));
    const second = stamp(wall);
    if (perSecond.size > 1_000) {
      const cutoff = stamp(wall - this.keepMs);
      for (const key of perSecond.keys()) if (key < cutoff) perSecond.delete(key);
    }
    const n = (perSecond.get(second) ?? 0) + 1;
    perSecond.set(second, n);
    return `${prefix}${second}${String(n).padStart(digits, '0')}`;
  }
}
