import type { Redis } from 'ioredis';
import type { CoreContext } from '../context.ts';
import type { Logger } from '../platform/logger.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { AlertService } from '../services/alert-service.ts';
import { decodeDimValue } from '../../shared/feeds/dimensions.ts';
import { addDays, localDayHour, type LocalDay } from '../../shared/time.ts';
import {
  buildHistory,
  DEFAULT_DETECTOR_OPTIONS,
  detect,
  HISTORY_DAYS,
  HISTORY_GAP_DAYS,
  type DetectorHistory,
  type DetectorOptions,
  type RecentTicket,
} from './hotspot-detector.ts';
import { reconcile } from './hotspot-lifecycle.ts';
import { defineScripts } from '../ingest/lua/scripts.ts';
import { parseSeriesKey, type HotspotStore, type StoredHotspot } from './hotspot-store.ts';

const HOUR_MS = 3_600_000;
/** The history is read again at most this often (and when the local day turns): back-filled days reach it within the hour. */
const HISTORY_REFRESH_MS = HOUR_MS;
/** Tickets read from the index per command: Redis answers a page in a few milliseconds. */
export const TICKETS_PAGE = 5_000;
const HOURS = Array.from({ length: 24 }, (_, h) => `signed@${h < 10 ? `0${h}` : h}`);

/** The robot's words for a raised hotspot (Chinese: the group is the hotline centre's). */
export function hotspotRobotText(h: Omit<StoredHotspot, 'ticketIds'>, tz: string, bureau = ''): string {
  const where = [h.category, h.street].filter(Boolean).join(' · ') || '全区';
  const start = new Intl.DateTimeFormat('zh-CN', {
    timeZone: tz,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(h.start));
  return `【未诉先办·热点预警·${h.level}】${where}：${h.observed} 件，历史预期 ${h.expected} 件（始于 ${start}）。请及时研判。（${bureau}政务服务效能监测）`;
}

/**
 * One run of the detector against Redis: the recent window's tickets from the hotline `tickets` index (by
 * score: the last 48 hours, never a year), the history from the day buckets of the 12 weeks before (cached,
 * read again hourly), then the store's hotspots reconciled, and the robot told of each active hotspot once.
 */
export class HotspotRunner {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly tz: string;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly store: HotspotStore;
  private readonly alerts: AlertService | undefined;
  private readonly options: DetectorOptions;
  private cached: { day: LocalDay; at: number; history: DetectorHistory } | null = null;

  constructor(ctx: CoreContext, store: HotspotStore, alerts?: AlertService, options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS) {
    ({ redis: this.redis, keys: this.keys, tz: this.tz, now: this.now, log: this.log } = ctx);
    this.store = store;
    this.alerts = alerts;
    this.options = options;
  }

  /** The history days' hotline buckets: hours (`dh`), pairs (`dp2`), categories and streets (`dd`), `signed` only. */
  async history(today: LocalDay): Promise<DetectorHistory> {
    const now = this.now();
    if (this.cached && this.cached.day === today && now - this.cached.at < HISTORY_REFRESH_MS) return this.cached.history;
    const days = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(today, i - HISTORY_DAYS - HISTORY_GAP_DAYS + 1));
    const pipeline = this.redis.pipeline();
    for (const day of days) {
      pipeline.hmget(this.keys.dayHourBucket('hotline', day), ...HOURS);
      pipeline.hgetall(this.keys.dayPathBucket('hotline', day, 2));
      pipeline.hgetall(this.keys.dayDimBucket('hotline', day));
    }
    const replies = (await pipeline.exec()) ?? [];
    const perDay = days.map((day, i) => {
      const [hoursErr, hours] = replies[3 * i]!;
      const [pathsErr, paths] = replies[3 * i + 1]!;
      const [dimsErr, dims] = replies[3 * i + 2]!;
      if (hoursErr || pathsErr || dimsErr) throw hoursErr ?? pathsErr ?? dimsErr;
      const series = new Map<string, number>();
      for (const [field, n] of Object.entries(paths as Record<string, string>)) {
        const m = /^signed\|category=([^>]*)>street=([^>]*)$/.exec(field);
        if (m && Number(n) > 0) series.set(`c=${m[1]}|s=${m[2]}`, Number(n));
      }
      for (const [field, n] of Object.entries(dims as Record<string, string>)) {
        const m = /^signed\|(category|street)=(.*)$/.exec(field);
        if (m && Number(n) > 0) series.set(m[1] === 'category' ? `c=${m[2]}|s=` : `c=|s=${m[2]}`, Number(n));
      }
      return { day, hours: (hours as (string | null)[]).map((v) => Number(v ?? 0)), series };
    });
    const history = buildHistory(perDay, parseSeriesKey);
    this.cached = { day: today, at: now, history };
    return history;
  }

  /**
   * Tickets signed in the longest window ending now, from the `tickets` index (members `<category>|<street>|<id>`),
   * read in pages of TICKETS_PAGE by signed time (tickets-page.lua: one string a page) so that no one read holds
   * Redis for long however busy the window.
   */
  async recentTickets(now: number): Promise<RecentTicket[]> {
    defineScripts(this.redis);
    const key = this.keys.liveSet('hotline', 'tickets');
    // A window holds few places and many tickets: each place is decoded once.
    const places = new Map<string, { category?: string; street?: string }>();
    const tickets: RecentTicket[] = [];
    // The cursor: the last page's last signed time, and the members read at that time (a page may end among equals).
    let min = now - Math.max(...this.options.windowsHours) * HOUR_MS;
    let atMin = new Set<string>();
    for (;;) {
      const [count, text] = await this.redis.ticketsPage(key, min, now, atMin.size, TICKETS_PAGE);
      const before = tickets.length;
      // The members of the page's last signed time so far (the next cursor), kept as they come.
      let atLast: string[] = [];
      let last = min;
      for (let pos = 0; pos < text.length;) {
        const space = text.indexOf(' ', pos);
        const newline = text.indexOf('\n', space);
        const end = newline === -1 ? text.length : newline;
        const at = Number(text.slice(pos, space));
        const member = text.slice(space + 1, end);
        pos = end + 1;
        if (at === min && atMin.has(member)) continue; // read on the page before (a ticket added meanwhile shifted the page)
        if (at !== last) {
          last = at;
          atLast = [];
        }
        atLast.push(member);
        const cut = member.indexOf('|', member.indexOf('|') + 1);
        const prefix = member.slice(0, cut);
        let place = places.get(prefix);
        if (!place) {
          const [category = '', street = ''] = prefix.split('|').map(decodeDimValue);
          place = { ...(category !== '' && { category }), ...(street !== '' && { street }) };
          places.set(prefix, place);
        }
        const id = member.slice(cut + 1);
        tickets.push({ id: id.includes('%') ? decodeDimValue(id) : id, at, category: place.category, street: place.street });
      }
      // A short page is the window's end; a full page of nothing new (only with many tickets added meanwhile at one instant) ends it too.
      if (count < TICKETS_PAGE || tickets.length === before) return tickets;
      atMin = last === min ? new Set([...atMin, ...atLast]) : new Set(atLast);
      min = last;
    }
  }

  async run(): Promise<{ raised: StoredHotspot[]; ended: StoredHotspot[]; active: number }> {
    const now = this.now();
    const today = localDayHour(now, this.tz).day;
    const [history, tickets, state] = await Promise.all([this.history(today), this.recentTickets(now), this.store.detectorState()]);
    const { alarms } = detect(history, tickets, now, this.tz, this.options);
    const { changed, raised, ended, activeChanged } = reconcile(state, alarms, now);
    await this.store.save(changed, activeChanged);
    for (const h of raised) this.log.info({ id: h.id, category: h.category, street: h.street, score: h.score }, 'hotspot raised');
    if (this.alerts) {
      for (const h of await this.store.active()) {
        await this.alerts.notifyOnce(this.keys.hotspotNotified(h.id), 90 * 86_400, (bureau) => hotspotRobotText(h, this.tz, bureau));
      }
    }
    return { raised, ended, active: alarms.length };
  }
}
