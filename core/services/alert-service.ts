import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AppError, zodIssues } from '../platform/errors.ts';
import { BureauService } from './bureau-service.ts';
import { msg } from '../../shared/messages/index.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import type { Logger } from '../platform/logger.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import type { AlertLevel } from '../../shared/socket-events.ts';
import { alertLevel, DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../../shared/feeds/wall.ts';

const threshold = z
  .object({
    direction: z.enum(['below', 'above']),
    yellow: z.number().finite(),
    orange: z.number().finite(),
    red: z.number().finite(),
  })
  .refine((t) => (t.direction === 'above' ? t.yellow <= t.orange && t.orange <= t.red : t.yellow >= t.orange && t.orange >= t.red), {
    message: 'alerts.levels_order',
  });

export const alertSettingsSchema = z.object({
  thresholds: z.record(z.string(), threshold).refine((t) => Object.keys(t).every((id) => KPI_BY_ID.has(id)), {
    message: 'alerts.kpi_keys',
  }),
  webhook: z
    .object({
      kind: z.enum(['wecom', 'dingtalk']),
      url: z.url({ protocol: /^https?$/ }),
      secret: z.string().min(1).max(200).optional(),
    })
    .nullable(),
  silentAfterMinutes: z
    .partialRecord(
      z.enum(FEED_NAMES),
      z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60),
    )
    .optional(),
});

/** Posts a text to a 企业微信 or 钉钉 group robot. Returns when the robot answered (or throws). */
export type WebhookSender = (url: string, body: unknown) => Promise<void>;

export const postToRobot: WebhookSender = async (url, body) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
    // The alert goes to the address the administrator set, never where that address points elsewhere.
    redirect: 'manual',
  });
  if (response.status >= 300 && response.status < 400)
    throw new Error(`webhook answered HTTP ${response.status}: a redirect, not followed`);
  if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
  // Both robots answer 200 with { errcode } on refusal.
  const answer = (await response.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
  if (answer.errcode) throw new Error(`webhook refused: ${answer.errcode} ${answer.errmsg ?? ''}`);
};

/**
 * The wall's alert levels (正常 / 黄 / 橙 / 红) from administrator thresholds, and a robot notification
 * the first time a KPI turns red on a day — once across all servers (a Redis NX key per day and KPI).
 */
export class AlertService {
  private cached: { at: number; settings: AlertSettings } | null = null;

  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly log: Logger;
  private readonly now: () => number;

  private readonly send: WebhookSender;
  private readonly bureau: BureauService;

  constructor(ctx: CoreContext, send: WebhookSender = postToRobot) {
    this.send = send;
    this.bureau = new BureauService(ctx);
    ({ redis: this.redis, keys: this.keys, log: this.log, now: this.now } = ctx);
  }

  async getSettings(): Promise<AlertSettings> {
    if (this.cached && this.now() - this.cached.at < 2_000) return this.cached.settings;
    const raw = await this.redis.get(this.keys.alertSettings());
    const stored = raw ? (JSON.parse(raw) as Partial<AlertSettings>) : {};
    const settings: AlertSettings = {
      thresholds: stored.thresholds ?? DEFAULT_ALERT_SETTINGS.thresholds,
      webhook: stored.webhook ?? null,
      silentAfterMinutes: { ...DEFAULT_ALERT_SETTINGS.silentAfterMinutes, ...stored.silentAfterMinutes },
    };
    this.cached = { at: this.now(), settings };
    return settings;
  }

  /** Replaces the settings (validated; every problem listed). */
  async replace(body: unknown): Promise<AlertSettings> {
    const parsed = alertSettingsSchema.safeParse(body, { reportInput: true });
    if (!parsed.success) {
      // v1 shape of details: { path, message }, the message rendered in the reader's language.
      const issues = parsed.error.issues;
      const details = zodIssues(issues).map((message, i) => ({ path: issues[i]!.path.join('.'), message }));
      throw new AppError('validation_failed', msg('alerts.invalid'), details);
    }
    await this.redis.set(this.keys.alertSettings(), JSON.stringify(parsed.data));
    this.cached = null;
    return this.getSettings();
  }

  /** KPI id → level for the figures given (KPIs at 正常 are absent). */
  async levels(kpis: Record<string, KpiValue>): Promise<Record<string, AlertLevel>> {
    const { thresholds } = await this.getSettings();
    const levels: Record<string, AlertLevel> = {};
    for (const [id, t] of Object.entries(thresholds)) {
      const level = alertLevel(kpis[id]?.value, t);
      if (level) levels[id] = level;
    }
    return levels;
  }

  /**
   * Posts `text` to the configured robot once across every process: `SET NX` of `onceKey` (kept `ttlSeconds`);
   * a failed post gives the key back, so the next caller tries again. Nothing without a webhook. Never throws.
   */
  async notifyOnce(onceKey: string, ttlSeconds: number, text: (bureau: string) => string): Promise<boolean> {
    try {
      const { webhook } = await this.getSettings();
      if (!webhook) return false;
      if ((await this.redis.set(onceKey, '1', 'EX', ttlSeconds, 'NX')) !== 'OK') return false;
      try {
        await this.send(signedUrl(webhook.url, webhook.kind, webhook.secret, this.now()), robotBody(text(await this.bureau.get())));
        return true;
      } catch (err) {
        await this.redis.del(onceKey);
        this.log.warn({ key: onceKey, err: (err as Error).message }, 'robot webhook failed; will retry');
        return false;
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'robot message not sent');
      return false;
    }
  }

  /** Notifies the robot of every KPI red today that was not notified yet today. Never throws. */
  async notifyRed(day: string, levels: Record<string, AlertLevel>, kpis: Record<string, KpiValue>): Promise<void> {
    const red = Object.keys(levels).filter((id) => levels[id] === 'red');
    if (red.length === 0) return;
    const { webhook } = await this.getSettings();
    if (!webhook) return;
    for (const id of red) {
      const first = await this.redis.set(this.keys.alertNotified(day, id), '1', 'EX', 2 * 86_400, 'NX');
      if (first !== 'OK') continue;
      const text = redAlertText(id, kpis[id], await this.bureau.get());
      try {
        await this.send(signedUrl(webhook.url, webhook.kind, webhook.secret, this.now()), robotBody(text));
        this.log.info({ kpi: id }, 'red alert sent to the robot webhook');
      } catch (err) {
        await this.redis.del(this.keys.alertNotified(day, id)); // try again on the next recompute
        this.log.warn({ kpi: id, err: (err as Error).message }, 'red alert webhook failed; will retry');
      }
    }
  }
}

function formatValue(id: string, value: KpiValue | undefined): string {
  const v = value?.value;
  if (v === null || v === undefined) return '—';
  const def = KPI_BY_ID.get(id);
  return def?.unitZh === '%' ? `${Math.round(v * 1000) / 10}%` : `${Math.round(v * 10) / 10}${def?.unitZh ?? ''}`;
}

/** The robot message: which figure, its value, in the wall's words, under the bureau's name (a setting). */
export function redAlertText(id: string, value: KpiValue | undefined, bureau = ''): string {
  const name = KPI_BY_ID.get(id)?.nameZh ?? id;
  return `【红色预警】${name}：${formatValue(id, value)}（${bureau}政务服务效能监测）`;
}

/** 企业微信 and 钉钉 group robots take the same text message body. */
const robotBody = (text: string) => ({ msgtype: 'text', text: { content: text } });

/** 钉钉 加签: `&timestamp=<ms>&sign=<base64 HMAC-SHA256 of "<ms>\n<secret>">`. */
function signedUrl(url: string, kind: 'wecom' | 'dingtalk', secret: string | undefined, nowMs: number): string {
  if (kind !== 'dingtalk' || !secret) return url;
  const sign = createHmac('sha256', secret).update(`${nowMs}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(nowMs));
  u.searchParams.set('sign', sign);
  return u.toString();
}
