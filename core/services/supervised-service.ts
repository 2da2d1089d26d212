import type { Redis } from 'ioredis';
import type { SupervisedKind, SupervisedListResponse, SupervisedTicket } from '../../shared/console-types.ts';
import { decodeDimValue } from '../../shared/feeds/dimensions.ts';
import type { HotlineMilestone } from '../feeds/hotline/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { Settings } from '../../shared/settings.ts';
import type { CoreContext } from '../context.ts';
import { dayStartUtc, type LocalDay } from '../../shared/time.ts';
import { readEntities, type LedgerEntity } from '../ingest/entity-plan.ts';
import { CALLERS_SET, DISSATISFIED_SET, OPEN_TICKETS_SET, UNRESOLVED_SET, ticketDeadline } from '../feeds/hotline/apply.ts';
import { findRepeats } from './live-figures.ts';

const DAY_MS = 86_400_000;
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The tickets behind the 四类督办 counts (KPIS.md hotline.supervised), read from the hotline applier's
 * live sets — the same sets the counts come from, so a list and its count agree — and each ticket's
 * ledger for its attributes. Nothing personal leaves here: no caller number or hash.
 */
export class SupervisedService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  private readonly ctx: CoreContext;

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
    ({ redis: this.redis, keys: this.keys } = ctx);
  }

  /**
   * One kind's tickets, newest first (overdue: longest overdue first), `limit` from `offset`.
   * Overdue is live (every open ticket past its deadline now); the others are those whose follow-up
   * (unresolved, dissatisfied) or first contact (repeat) falls in [from, to].
   */
  async list(kind: SupervisedKind, from: LocalDay, to: LocalDay, page: { offset: number; limit: number }): Promise<SupervisedListResponse> {
    const now = this.ctx.now();
    const start = dayStartUtc(from, this.ctx.tz);
    const end = dayStartUtc(to, this.ctx.tz) + DAY_MS;
    const found = await this.members(kind, start, end, now);
    const slice = found.slice(page.offset, page.offset + page.limit);
    const ledgers = await readEntities<HotlineMilestone>(
      this.redis,
      slice.map(({ ticketId }) => this.keys.ledger('hotline', ticketId)),
    );
    const items = slice.map(({ ticketId, since, deadline }, i) =>
      describeTicket(ticketId, ledgers[i]!, since, this.ctx.settings, deadline),
    );
    return { kind, period: { from, to }, asOf: new Date(now).toISOString(), total: found.length, offset: page.offset, items };
  }

  private async members(
    kind: SupervisedKind,
    start: number,
    end: number,
    now: number,
  ): Promise<{ ticketId: string; since: number; deadline?: number }[]> {
    if (kind === 'overdue') {
      const flat = await this.redis.zrangebyscore(this.keys.liveSet('hotline', OPEN_TICKETS_SET), '-inf', now, 'WITHSCORES');
      const out: { ticketId: string; since: number; deadline: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const member = flat[i]!;
        const deadline = Number(flat[i + 1]);
        out.push({ ticketId: member.slice(member.indexOf('|') + 1), since: deadline, deadline });
      }
      return out; // by deadline: the longest overdue first
    }
    if (kind === 'repeat') {
      const windowMs = this.ctx.settings.repeatWindowDays * DAY_MS;
      const flat = await this.redis.zrangebyscore(this.keys.liveSet('hotline', CALLERS_SET), start - windowMs, `(${end}`, 'WITHSCORES');
      return findRepeats(flat, start, end, windowMs)
        .map(({ member, at }) => ({ ticketId: decodeDimValue(member.slice(member.lastIndexOf('|') + 1)), since: at }))
        .reverse();
    }
    const set = kind === 'unresolved' ? UNRESOLVED_SET : DISSATISFIED_SET;
    const flat = await this.redis.zrevrangebyscore(this.keys.liveSet('hotline', set), `(${end}`, start, 'WITHSCORES');
    const out: { ticketId: string; since: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ ticketId: flat[i]!, since: Number(flat[i + 1]) });
    return out;
  }
}

/** A ticket's attributes from its ledger (`signed` first, as the applier reads them); personal fields left out. */
function describeTicket(
  ticketId: string,
  { slots }: LedgerEntity<HotlineMilestone>,
  since: number,
  settings: Settings,
  deadline?: number,
): SupervisedTicket {
  const byType = new Map([...slots.values()].map((s) => [s.record.type, s.record]));
  const order = ['signed', 'received', 'responded', 'completed', 'visited'] as const;
  const attr = <K extends 'category' | 'street' | 'department' | 'urgency' | 'deadline'>(key: K): HotlineMilestone[K] | undefined => {
    for (const type of order) {
      const value = byType.get(type)?.[key];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const visited = byType.get('visited');
  return {
    ticketId,
    category: attr('category') ?? null,
    street: attr('street') ?? null,
    department: attr('department') ?? null,
    urgency: attr('urgency') ?? (byType.has('signed') ? 'normal' : null),
    signedAt: iso(byType.get('signed')?.at),
    deadline: iso(deadline ?? ticketDeadline(new Map([...byType].map(([type, r]) => [type as string, r])), settings)),
    completedAt: iso(byType.get('completed')?.at),
    visitedAt: iso(visited?.at),
    resolved: visited?.resolved ?? null,
    satisfaction: visited?.satisfaction ?? null,
    since: new Date(since).toISOString(),
  };
}
