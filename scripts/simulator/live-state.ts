import type { FeedRecord } from './context.ts';
import type { Channel } from './online.ts';
import type { FeedName } from './year.ts';

/** Live queue numbers start above this, clear of the day model's (generateToday numbers from 1). */
export const LIVE_QUEUE_BASE = 5000;
/** A crash may have lost the last numbers issued: a state not written at stop skips this many. */
const UNCLEAN_QUEUE_SKIP = 50;

/** A record of an entity already begun (a ticket, a visit, a case) that is due later. */
export interface PendingRecord {
  feed: FeedName;
  /** Epoch ms the record's milestone happens. */
  dueMs: number;
  record: FeedRecord;
}

/** Today's count of one 一网通办 item on one channel. */
export interface OnlineCell {
  itemCode: string;
  itemName: string;
  department: string;
  channel: Channel;
  fullyOnline: boolean;
  count: number;
}

/**
 * What the live stream carries on from and hands back: milestones still to come and today's counters,
 * as plain JSON — from `generateToday(...).live` at start, or `stream.state()` of an earlier run (a
 * checkpoint, merged with today's by mergeLiveStates).
 */
export interface LiveState {
  /** Epoch ms the state describes; the stream stamps its snapshot rows after it. */
  atMs: number;
  /** Local date (Asia/Shanghai) of `online`, `footfall` and `queueNumbers`. */
  date: string;
  /** Milestones still to come, of tickets, visits and cases already begun. */
  pending: PendingRecord[];
  /** Today's online counts by `<itemCode>|<channel>`. */
  online: Record<string, OnlineCell>;
  /** Per hall, the current 15-minute footfall interval (`atMs`: its start, epoch ms) and its count so far. */
  footfall: Record<string, { atMs: number; entries: number }>;
  /** Last queue number the live stream issued today, by `<hall>|<letter>` (numbers start above 5000). */
  queueNumbers: Record<string, number>;
  /** True when written by a stopped stream: its counters are exact. */
  clean: boolean;
}

/**
 * Combines two states (today's, and a checkpoint of an earlier run): pending milestones of both (each
 * once), and for the same day the larger counters. A checkpoint of another day contributes its pending
 * milestones only.
 */
export function mergeLiveStates(today: LiveState, earlier: LiveState): LiveState {
  const seen = new Set<string>();
  const pending = [...today.pending, ...earlier.pending].filter((p) => {
    const key = `${p.feed}\n${JSON.stringify(p.record)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  pending.sort((a, b) => a.dueMs - b.dueMs);
  if (earlier.date !== today.date) return { ...today, pending };
  const online = { ...today.online };
  for (const [key, cell] of Object.entries(earlier.online)) if (!online[key] || online[key].count < cell.count) online[key] = cell;
  const footfall = { ...today.footfall };
  for (const [hall, ff] of Object.entries(earlier.footfall)) {
    const mine = footfall[hall];
    if (!mine || ff.atMs > mine.atMs || (ff.atMs === mine.atMs && ff.entries > mine.entries)) footfall[hall] = ff;
  }
  const skip = earlier.clean ? 0 : UNCLEAN_QUEUE_SKIP;
  const queueNumbers = { ...today.queueNumbers };
  for (const [key, n] of Object.entries(earlier.queueNumbers)) queueNumbers[key] = Math.max(queueNumbers[key] ?? 0, n + skip);
  return { atMs: Math.max(today.atMs, earlier.atMs), date: today.date, pending, online, footfall, queueNumbers, clean: true };
}

/** A binary min-heap of pending records by due time. */
export class DueHeap {
  readonly items: PendingRecord[] = [];

  push(item: PendingRecord): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.dueMs <= a[i]!.dueMs) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  /** The earliest item if due at or before `ms`. */
  popDue(ms: number): PendingRecord | undefined {
    const a = this.items;
    if (a.length === 0 || a[0]!.dueMs > ms) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.dueMs < a[m]!.dueMs) m = l;
        if (r < a.length && a[r]!.dueMs < a[m]!.dueMs) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
