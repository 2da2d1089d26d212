import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../shared/redis-keys.ts';

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
  | 'reference.replace'
  | 'thresholds.replace'
  | 'template.replace'
  | 'job.retry';

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

/** The audit log: an append-only Redis stream, read newest first by administrators. */
export class AuditService {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  async record(actor: string, action: AuditAction, target: string, details?: Record<string, unknown>): Promise<void> {
    const fields = ['at', new Date(this.now()).toISOString(), 'actor', actor, 'action', action, 'target', target];
    if (details) fields.push('details', JSON.stringify(details));
    await this.redis.xadd(this.keys.audit(), 'MAXLEN', '~', String(MAX_ENTRIES), '*', ...fields);
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
        if (!options.action || entry.action === options.action) entries.push(entry);
        if (entries.length === options.limit) break;
      }
      end = `(${page.at(-1)![0]}`;
    }
    return entries;
  }
}
