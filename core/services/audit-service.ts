import type { Redis } from 'ioredis';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';

/** What was done: logins, imports, exports and every administrative change. */
export type AuditAction =
  | 'login'
  | 'login.failed'
  | 'logout'
  | 'import'
  | 'export'
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'display-token.create'
  | 'display-token.revoke'
  | 'targets.replace'
  | 'budget.replace'
  | 'calendar.replace'
  | 'reference.replace'
  | 'thresholds.replace'
  | 'template.replace'
  | 'job.retry'
  | 'bureau.replace'
  | 'year.close'
  | 'year.reopen'
  | 'hotspot.acknowledge'
  | 'hotspot.assign'
  | 'hotspot.close';

export interface AuditEntry {
  id: string;
  /** ISO 8601 instant. */
  at: string;
  /** Username (or display-token name) that acted; `-` when unknown (a failed login's claimed name is in `target`). */
  actor: string;
  action: AuditAction;
  /** What it acted on: a username, a year, an import id, a period. */
  target: string;
  /** Free-form facts (never secrets or personal data). */
  details?: Record<string, unknown>;
}

/** Capped well above a year of activity (a few hundred entries a day); oldest entries go first. */
const MAX_ENTRIES = 1_000_000;
/** Refused logins are counted per address and window of this length; one entry stands for each. */
const REFUSAL_WINDOW_MS = 3_600_000;
/** The counts outlive the entries they complete by far (the log holds about a year). */
const REFUSAL_COUNT_TTL_SECONDS = 400 * 86_400;

/** Why a login was refused: a wrong username or password, or too many attempts (the password unchecked). */
export type LoginRefusal = 'wrong_password' | 'rate_limited';

/** The audit log: an append-only Redis stream, read newest first by administrators. */
export class AuditService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly now: () => number;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys, now: this.now } = ctx);
  }

  async record(actor: string, action: AuditAction, target: string, details?: Record<string, unknown>): Promise<void> {
    const fields = ['at', new Date(this.now()).toISOString(), 'actor', actor, 'action', action, 'target', target];
    if (details) fields.push('details', JSON.stringify(details));
    await this.redis.xadd(this.keys.audit(), 'MAXLEN', '~', String(MAX_ENTRIES), '*', ...fields);
  }

  /**
   * Counts a refused login. The first refusal from an address in a window (an hour) writes one
   * `login.failed` entry (target: the username it claimed); later ones only count, so a flood cannot
   * push real entries out of the capped log. Listed entries carry the count so far in `details.refusals`.
   */
  async recordLoginRefusal(ip: string, username: string, reason: LoginRefusal): Promise<void> {
    const windowStartMs = Math.floor(this.now() / REFUSAL_WINDOW_MS) * REFUSAL_WINDOW_MS;
    const countsKey = this.keys.auditLoginRefusals(windowStartMs);
    if ((await this.redis.hincrby(countsKey, ip, 1)) !== 1) return;
    await this.redis.expire(countsKey, REFUSAL_COUNT_TTL_SECONDS);
    await this.record('-', 'login.failed', username, {
      ip,
      reason,
      windowStart: new Date(windowStartMs).toISOString(),
      windowMinutes: REFUSAL_WINDOW_MS / 60_000,
    });
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(options: { limit: number; before?: string; action?: AuditAction }): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let end = options.before ? `(${options.before}` : '+';
    while (entries.length < options.limit) {
      const page = await this.redis.xrevrange(this.keys.audit(), end, '-', 'COUNT', Math.max(options.limit, 100));
      if (page.length === 0) break;
      for (const [id, flat] of page) {
        const f: Record<string, string> = {};
        for (let i = 0; i < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
        const entry: AuditEntry = { id, at: f.at!, actor: f.actor!, action: f.action as AuditAction, target: f.target ?? '' };
        if (f.details) entry.details = JSON.parse(f.details) as Record<string, unknown>;
        if (entry.action === 'login.failed' && entry.details?.windowStart) await this.addRefusalCount(entry.details);
        if (!options.action || entry.action === options.action) entries.push(entry);
        if (entries.length === options.limit) break;
      }
      end = `(${page.at(-1)![0]}`;
    }
    return entries;
  }

  /** Adds the refused logins so far of a `login.failed` entry's address and window (none once the count expired). */
  private async addRefusalCount(details: Record<string, unknown>): Promise<void> {
    const count = await this.redis.hget(this.keys.auditLoginRefusals(Date.parse(String(details.windowStart))), String(details.ip));
    if (count !== null) details.refusals = Number(count);
  }
}
