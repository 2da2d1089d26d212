import type { FeedName } from './feed.ts';
import { ALL_FEED_DESCRIPTORS, FEED_DESCRIPTORS } from './index.ts';
import type { AlertLevel, TickerItem } from '../socket-events.ts';

/** Today's breakdowns the live stream carries for the wall: the dimensions of `/api/kpis?groupBy=`. */
export const WALL_GROUP_DIMENSIONS = ['street', 'category', 'hall', 'partnerRegion', 'channel'] as const;

/** Newest applied events kept for the ticker (a capped Redis list). */
export const TICKER_LENGTH = 20;

/**
 * The wall's words for one record: its milestone and the place/subject fields of its feed (the descriptor's
 * `wallFields`, an allow-list, so a personal field can never reach a screen).
 * The ticker item of a validated record; `id` is its delivery origin (batch and index). `at` is the record's
 * time (epoch ms once validated) as an ISO instant, or its day (`YYYY-MM-DD`) for a record that has only one.
 */
export function tickerItemOf(feed: FeedName, record: Record<string, unknown>, id: string): TickerItem {
  const labels = FEED_DESCRIPTORS[feed].wallFields.map((f) => record[f]).filter((v): v is string => typeof v === 'string' && v !== '');
  const type = feed === 'evaluations' ? String(record.rating ?? '') : feed === 'online' ? 'volume' : String(record.type ?? '');
  const at = typeof record.at === 'number' ? new Date(record.at).toISOString() : typeof record.date === 'string' ? record.date : '';
  return { id, feed, at, type, labels };
}

/** A KPI's alert thresholds: "below" for figures that should stay high (rates), "above" for those that should stay low. */
export interface AlertThreshold {
  direction: 'below' | 'above';
  yellow: number;
  orange: number;
  red: number;
}

export interface AlertWebhook {
  kind: 'wecom' | 'dingtalk';
  url: string;
  /** 钉钉 robots with 加签 security: the signing secret (SEC…). */
  secret?: string;
}

export interface AlertSettings {
  thresholds: Record<string, AlertThreshold>;
  webhook: AlertWebhook | null;
  /** Feed → minutes without a record after which the wall marks the feed silent (defaults: the descriptors'). */
  silentAfterMinutes: Partial<Record<FeedName, number>>;
}

/** Shipped defaults, from the 2022 report's own levels (87% resolved, 99% satisfied); administrators change them. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  thresholds: {
    'hotline.overdue': { direction: 'above', yellow: 1, orange: 5, red: 10 },
    'hotline.resolutionRate': { direction: 'below', yellow: 0.87, orange: 0.8, red: 0.7 },
    'hotline.satisfactionRate': { direction: 'below', yellow: 0.99, orange: 0.95, red: 0.9 },
    'hotline.responseWithin1hRate': { direction: 'below', yellow: 0.95, orange: 0.9, red: 0.8 },
    'hall.waitingNow': { direction: 'above', yellow: 30, orange: 60, red: 100 },
    'hall.avgWaitMinutes': { direction: 'above', yellow: 20, orange: 30, red: 45 },
    'evaluations.negative': { direction: 'above', yellow: 1, orange: 3, red: 5 },
  },
  webhook: null,
  silentAfterMinutes: Object.fromEntries(ALL_FEED_DESCRIPTORS.map((d) => [d.name, d.silentAfterMinutes])),
};

/** The level a value reaches (the worst threshold it crosses), or null for 正常 and for a null value. */
export function alertLevel(value: number | null | undefined, t: AlertThreshold): AlertLevel | null {
  if (value === null || value === undefined) return null;
  const reached = (limit: number) => (t.direction === 'above' ? value >= limit : value <= limit);
  if (reached(t.red)) return 'red';
  if (reached(t.orange)) return 'orange';
  if (reached(t.yellow)) return 'yellow';
  return null;
}
