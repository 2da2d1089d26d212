import type { Redis } from 'ioredis';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { cleanText } from '../feeds/fields.ts';

/** The longest bureau name accepted (长沙市芙蓉区行政审批服务局 has 13 characters). */
export const MAX_BUREAU_NAME = 64;

/**
 * The bureau's name (e.g. 长沙市芙蓉区行政审批服务局): a setting, not a string in code. Seeded from
 * `BUREAU_NAME` at the first start (an existing setting is never overwritten by the variable), edited by
 * an administrator; the wall, the console, the red-alert robot message and the export title read it.
 * Empty when never set: the screens then show the product's name alone.
 */
export class BureauService {
  private cached: { at: number; name: string } | null = null;
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly now: () => number;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys, now: this.now } = ctx);
  }

  /** Sets the name from the environment when no name is stored yet (first start); true when it did. */
  async seed(name: string | undefined): Promise<boolean> {
    const clean = name?.trim();
    if (!clean) return false;
    return (await this.redis.set(this.keys.bureauName(), clean.slice(0, MAX_BUREAU_NAME), 'NX')) === 'OK';
  }

  /** The name, '' when never set (read at most every 2 s per process: every server and worker sees an edit within that). */
  async get(): Promise<string> {
    if (this.cached && this.now() - this.cached.at < 2_000) return this.cached.name;
    const name = (await this.redis.get(this.keys.bureauName())) ?? '';
    this.cached = { at: this.now(), name };
    return name;
  }

  /** Replaces the name (an administrator's edit): 1–64 characters of text, trimmed. */
  async set(name: unknown): Promise<string> {
    const cleaned = typeof name === 'string' ? cleanText(name) : null; // trimmed, NFC, no control character
    const clean = cleaned && 'value' in cleaned ? cleaned.value : '';
    if (clean === '' || [...clean].length > MAX_BUREAU_NAME) {
      throw new AppError('validation_failed', msg('bureau.bad_name', { max: MAX_BUREAU_NAME }));
    }
    await this.redis.set(this.keys.bureauName(), clean);
    this.cached = null;
    return clean;
  }
}
