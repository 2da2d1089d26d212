import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import { publish } from '../platform/channels.ts';
import { decodeDimValue, encodeDimValue } from '../../shared/feeds/dimensions.ts';
import { msg } from '../../shared/messages/index.ts';
import type { Hotspot, HotspotReview, HotspotReviewRequest, LiveHotspot } from '../../shared/analytics/hotspots.ts';

/** A series the detector watches: a (category, street), a category across the district, or a street across categories. */
export interface HotspotSeries {
  category?: string;
  street?: string;
}

/** The series' key in `<p>:{hotspots}:series` and in the detector: `c=<category>|s=<street>`, values through encodeDimValue. */
export function seriesKey(s: HotspotSeries): string {
  return `c=${s.category === undefined ? '' : encodeDimValue(s.category)}|s=${s.street === undefined ? '' : encodeDimValue(s.street)}`;
}

/** The series of a key made by seriesKey. */
export function parseSeriesKey(key: string): HotspotSeries {
  const [c = '', st = ''] = key.split('|');
  const category = decodeDimValue(c.slice(2));
  const street = decodeDimValue(st.slice(2));
  return { ...(category !== '' && { category }), ...(street !== '' && { street }) };
}

/** A hotspot as the detector keeps it: everything but the 研判, which only the review call writes. */
export type StoredHotspot = Omit<Hotspot, 'review'>;
/** A stored hotspot without its ticket list. */
type HotspotSummary = Omit<StoredHotspot, 'ticketIds'>;

const NEW_REVIEW: HotspotReview = { state: 'new' };
/** Longest department name and closing note a review takes. */
export const REVIEW_DEPARTMENT_MAX = 100;
export const REVIEW_NOTE_MAX = 1_000;

/**
 * Checks a `POST /api/hotline/hotspots/:id/review` body (HotspotReviewRequest); throws AppError
 * validation_failed with the specific reason (shared/messages/hotspot-messages.ts).
 */
export function parseReviewRequest(body: unknown): HotspotReviewRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('validation_failed', msg('hotspot.bad_review'));
  const b = body as Record<string, unknown>;
  const allowed: Record<string, string[]> = { acknowledge: ['action'], assign: ['action', 'department'], close: ['action', 'note'] };
  if (typeof b.action !== 'string' || !(b.action in allowed)) throw new AppError('validation_failed', msg('hotspot.bad_action'));
  const unknown = Object.keys(b).find((k) => !allowed[b.action as string]!.includes(k));
  if (unknown !== undefined) throw new AppError('validation_failed', msg('hotspot.unknown_field', { field: unknown }));
  const text = (field: 'department' | 'note', max: number, missing: 'hotspot.department_required' | 'hotspot.note_required') => {
    const value = b[field];
    if (typeof value !== 'string' || value.trim() === '') throw new AppError('validation_failed', msg(missing));
    if (value.trim().length > max) throw new AppError('validation_failed', msg('hotspot.text_too_long', { field, max }));
    return value.trim();
  };
  if (b.action === 'assign')
    return { action: 'assign', department: text('department', REVIEW_DEPARTMENT_MAX, 'hotspot.department_required') };
  if (b.action === 'close') return { action: 'close', note: text('note', REVIEW_NOTE_MAX, 'hotspot.note_required') };
  return { action: 'acknowledge' };
}

/**
 * The hotspots the detector raised (ANALYTICS.md), in Redis under the tag `{hotspots}`: the hotspot JSON by
 * id, its ticket ids by id (apart: a surge's list is long, and the wall and the robot never read it), ids by
 * start, the active ids, each series' latest id, and the 研判 by id (written apart, so the detector rewriting a
 * hotspot never loses a review).
 */
export class HotspotStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly now: () => number;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys, now: this.now } = ctx);
  }

  private async withReviews<H extends { id: string }>(stored: H[]): Promise<(H & { review: HotspotReview })[]> {
    if (stored.length === 0) return [];
    const reviews = await this.redis.hmget(this.keys.hotspotReviews(), ...stored.map((h) => h.id));
    return stored.map((h, i) => ({ ...h, review: reviews[i] ? (JSON.parse(reviews[i]) as HotspotReview) : { ...NEW_REVIEW } }));
  }

  /** Hotspots by id without their ticket lists (those stored before the lists were kept apart lose theirs here). */
  private async readSummaries(ids: string[]): Promise<HotspotSummary[]> {
    if (ids.length === 0) return [];
    const values = await this.redis.hmget(this.keys.hotspots(), ...ids);
    return values
      .filter((v): v is string => v !== null)
      .map((v) => {
        const { ticketIds: _tickets, ...summary } = JSON.parse(v) as HotspotSummary & { ticketIds?: string[] };
        return summary;
      });
  }

  /** Hotspots by id with their ticket lists. */
  private async read(ids: string[]): Promise<StoredHotspot[]> {
    if (ids.length === 0) return [];
    const [values, lists] = await Promise.all([
      this.redis.hmget(this.keys.hotspots(), ...ids),
      this.redis.hmget(this.keys.hotspotTickets(), ...ids),
    ]);
    return values.flatMap((v, i) => {
      if (v === null) return [];
      const stored = JSON.parse(v) as HotspotSummary & { ticketIds?: string[] };
      // Stored before the lists were kept apart: the list is in the hotspot's own JSON.
      return [{ ...stored, ticketIds: lists[i] ? (JSON.parse(lists[i]) as string[]) : (stored.ticketIds ?? []) }];
    });
  }

  /** Hotspots active at some time in [fromMs, toMs): started before its end and not ended before its start; by start. */
  async list(fromMs: number, toMs: number): Promise<Hotspot[]> {
    const ids = await this.redis.zrangebyscore(this.keys.hotspotsByStart(), '-inf', `(${toMs}`);
    const stored = (await this.read(ids)).filter((h) => h.end === null || Date.parse(h.end) >= fromMs);
    return this.withReviews(stored);
  }

  async get(id: string): Promise<Hotspot | null> {
    const [stored] = await this.read([id]);
    return stored ? ((await this.withReviews([stored]))[0] ?? null) : null;
  }

  /** The active hotspots (end null), by start, without their ticket lists (the wall's and the robot's). */
  async active(): Promise<LiveHotspot[]> {
    const ids = await this.redis.smembers(this.keys.hotspotsActive());
    const stored = (await this.readSummaries(ids)).sort((a, b) => a.start.localeCompare(b.start));
    return this.withReviews(stored);
  }

  /** Stored hotspots of the detector's state: the active ones and each series' latest (to extend a re-raise). */
  async detectorState(): Promise<{ active: StoredHotspot[]; latestBySeries: Map<string, StoredHotspot> }> {
    const [activeIds, series] = await Promise.all([
      this.redis.smembers(this.keys.hotspotsActive()),
      this.redis.hgetall(this.keys.hotspotSeries()),
    ]);
    const latest = await this.read([...new Set(Object.values(series))]);
    const byId = new Map(latest.map((h) => [h.id, h]));
    const active = await this.read(activeIds);
    return {
      active,
      latestBySeries: new Map(Object.entries(series).flatMap(([k, id]) => (byId.has(id) ? [[k, byId.get(id)!] as const] : []))),
    };
  }

  /**
   * Writes what the detector decided, in one transaction: the hotspots it raised, updated or ended. Publishes
   * the active set on `<p>:hotspots-changed` when it changed (`activeChanged`).
   */
  async save(changed: StoredHotspot[], activeChanged: boolean): Promise<void> {
    if (changed.length === 0) return;
    const tx = this.redis.multi();
    for (const { ticketIds, ...h } of changed) {
      tx.hset(this.keys.hotspots(), h.id, JSON.stringify(h));
      tx.hset(this.keys.hotspotTickets(), h.id, JSON.stringify(ticketIds));
      tx.zadd(this.keys.hotspotsByStart(), Date.parse(h.start), h.id);
      tx.hset(this.keys.hotspotSeries(), seriesKey(h), h.id);
      if (h.end === null) tx.sadd(this.keys.hotspotsActive(), h.id);
      else tx.srem(this.keys.hotspotsActive(), h.id);
    }
    await tx.exec();
    if (activeChanged) await publish(this.redis, this.keys, 'hotspots', { at: new Date(this.now()).toISOString() });
  }

  /**
   * 研判: acknowledge (from 新), assign to a department, or close with a note (from any state but 已办结).
   * Returns the hotspot with its new review; AppError not_found / conflict otherwise.
   */
  async review(id: string, request: HotspotReviewRequest, actor: string): Promise<Hotspot> {
    const hotspot = await this.get(id);
    if (!hotspot) throw new AppError('not_found', msg('hotspot.not_found', { id }));
    const current = hotspot.review;
    if (current.state === 'closed') throw new AppError('conflict', msg('hotspot.closed', { id }));
    if (request.action === 'acknowledge' && current.state !== 'new') {
      throw new AppError('conflict', msg('hotspot.already_acknowledged', { id, state: current.state }));
    }
    const at = new Date(this.now()).toISOString();
    const review: HotspotReview =
      request.action === 'acknowledge'
        ? { state: 'acknowledged', by: actor, at }
        : request.action === 'assign'
          ? { state: 'assigned', department: request.department, by: actor, at }
          : { state: 'closed', ...(current.department && { department: current.department }), note: request.note, by: actor, at };
    await this.redis.hset(this.keys.hotspotReviews(), id, JSON.stringify(review));
    await publish(this.redis, this.keys, 'hotspots', { at });
    return { ...hotspot, review };
  }
}
