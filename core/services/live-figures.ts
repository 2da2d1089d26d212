import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { LiveSetOf } from '../../shared/feeds/index.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { Settings } from '../../shared/settings.ts';
import { dayStartUtc, localDayHour, type LocalDay } from '../../shared/time.ts';

const DAY_MS = 86_400_000;

/** A live set's key, its name checked against the feed's descriptor (shared/feeds/<feed>/index.ts `liveSets`). */
const liveSetKey = <F extends FeedName>(keys: RedisKeys, feed: F, set: LiveSetOf<F>): string => keys.liveSet(feed, set);

/**
 * Figures read from the appliers' live sets (named by the feeds' descriptors) rather than day buckets, as `_live.*` / `_computed.*`
 * fields (shared/kpis/kpi-helpers.ts):
 * - hotline `open` (member `<signed day>|<ticketId>`, score deadline): `_live.open`, `_live.overdue`,
 *   and `_live.overdueSignedInPeriod` (overdue open tickets signed in the period);
 * - hotline `callers` (member `<callerHash>|<category>|<ticketId>`, the last two through encodeDimValue, score first contact): `_computed.repeat`,
 *   tickets in the period whose caller had a ticket of the same category within `repeatWindowDays` before;
 * - hall `waiting` (member `<hall>|<day>|<queueId>`, hall and queueId through encodeDimValue, score taken): `_live.waitingNow`, numbers taken
 *   today and not yet called, served or abandoned.
 */
export async function readLiveFields(
  redis: Redis,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  period: { from: LocalDay; to: LocalDay },
  options: { tz: string; settings: Settings; now: number },
): Promise<Partial<Record<FeedName, Record<string, number>>>> {
  const out: Partial<Record<FeedName, Record<string, number>>> = {};
  const { tz, settings, now } = options;
  if (feeds.includes('hotline')) {
    const openKey = liveSetKey(keys, 'hotline', 'open');
    const periodStart = dayStartUtc(period.from, tz);
    const periodEnd = dayStartUtc(period.to, tz) + DAY_MS;
    const windowMs = settings.repeatWindowDays * DAY_MS;
    const [[, open], [, overdueMembers], [, callers]] = (await redis
      .pipeline()
      .zcard(openKey)
      .zrangebyscore(openKey, '-inf', now)
      .zrangebyscore(liveSetKey(keys, 'hotline', 'callers'), periodStart - windowMs, `(${periodEnd}`, 'WITHSCORES')
      .exec()) as [[null, number], [null, string[]], [null, string[]]];
    const overdueInPeriod = overdueMembers.filter((m) => {
      const day = m.slice(0, 10);
      return day >= period.from && day <= period.to;
    }).length;
    out.hotline = {
      '_live.open': open,
      '_live.overdue': overdueMembers.length,
      '_live.overdueSignedInPeriod': overdueInPeriod,
      '_computed.repeat': countRepeats(callers, periodStart, periodEnd, windowMs),
    };
  }
  if (feeds.includes('hall')) {
    const today = localDayHour(now, tz).day;
    out.hall = { '_live.waitingNow': await redis.zcount(liveSetKey(keys, 'hall', 'waiting'), dayStartUtc(today, tz), '+inf') };
  }
  return out;
}

/**
 * The `callers` members (`<callerHash>|<category>|<ticketId>`) of tickets first contacting in [start, end)
 * whose caller had a same-category ticket within `windowMs` before — the repeat calls (重复来电), in time
 * order. `membersWithScores` is ZRANGEBYSCORE … WITHSCORES from `start − windowMs`.
 */
export function findRepeats(membersWithScores: string[], start: number, end: number, windowMs: number): { member: string; at: number }[] {
  const lastByCallerCategory = new Map<string, number>();
  const contacts: { member: string; key: string; at: number }[] = [];
  for (let i = 0; i < membersWithScores.length; i += 2) {
    const member = membersWithScores[i]!;
    contacts.push({ member, key: member.slice(0, member.lastIndexOf('|')), at: Number(membersWithScores[i + 1]) });
  }
  contacts.sort((a, b) => a.at - b.at);
  const repeats: { member: string; at: number }[] = [];
  for (const { member, key, at } of contacts) {
    const previous = lastByCallerCategory.get(key);
    if (previous !== undefined && at - previous <= windowMs && at >= start && at < end) repeats.push({ member, at });
    lastByCallerCategory.set(key, at);
  }
  return repeats;
}

/** How many tickets findRepeats finds. */
function countRepeats(membersWithScores: string[], start: number, end: number, windowMs: number): number {
  return findRepeats(membersWithScores, start, end, windowMs).length;
}
