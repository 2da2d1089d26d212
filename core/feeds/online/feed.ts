import type { FeedModule, NormalizeContext, NormalizeResult } from '../../../shared/feeds/feed.ts';
import {
  aliasesFrom,
  collectFields,
  NOT_AN_OBJECT,
  parseBoolean,
  parseCount,
  parseEnum,
  parseLocalDay,
  parseText,
  parseTime,
  withId,
} from '../fields.ts';
import type { LocalDay } from '../../../shared/time.ts';

/** “一网通办” daily volume rows (FEEDS.md §2), a snapshot feed. Natural key: (date, itemCode, channel). */

export const ONLINE_CHANNELS = { pc: '网上办', mobile: '掌上办', window: '窗口办', self_service: '自助办' } as const;
export type OnlineChannel = keyof typeof ONLINE_CHANNELS;

/** The most 办件量 one row may state: one item, one channel, one day (docs/ARCHITECTURE.md, "Bounds"). */
export const ONLINE_MAX_COUNT = 100_000;

/** Field → 中文列名, as FEEDS.md lists them (`id` and `asOf` are the common-rule fields). */
export const ONLINE_FIELD_LABELS = {
  id: '编号',
  date: '日期',
  itemCode: '事项编码',
  itemName: '事项名称',
  department: '部门',
  channel: '渠道',
  fullyOnline: '是否全程网办',
  count: '办件量',
  asOf: '统计时间',
} as const;

/** One accepted volume row: `count` 办件 of `itemCode` on local day `date` through `channel`. */
export interface OnlineVolumeRow {
  id: string;
  date: LocalDay;
  itemCode: string;
  channel: OnlineChannel;
  /** Whole number from 0 to ONLINE_MAX_COUNT. */
  count: number;
  /** 全程网办; false when the source leaves it out. */
  fullyOnline: boolean;
  itemName?: string;
  department?: string;
  /** Epoch ms the source produced the count; the row with the latest `asOf` wins. */
  asOf?: number;
}

function normalize(input: unknown, ctx: NormalizeContext): NormalizeResult<OnlineVolumeRow> {
  const c = collectFields(input, onlineFeed.fieldAliases, ONLINE_FIELD_LABELS);
  if (!c) return NOT_AN_OBJECT;
  const givenId = c.optional('id', (v) => parseText(v, 128));
  const date = c.required('date', (v) => parseLocalDay(v, ctx));
  const itemCode = c.required('itemCode', (v) => parseText(v, 64));
  const itemName = c.optional('itemName', (v) => parseText(v, 256));
  const department = c.optional('department', (v) => parseText(v, 128));
  const channel = c.required('channel', (v) => parseEnum(v, ONLINE_CHANNELS));
  const fullyOnline = c.optional('fullyOnline', parseBoolean) ?? false;
  const count = c.required('count', (v) => parseCount(v, ONLINE_MAX_COUNT));
  const asOf = c.optional('asOf', (v) => parseTime(v, ctx));
  if (c.errors.length > 0 || date === undefined || itemCode === undefined || channel === undefined || count === undefined) {
    return { ok: false, errors: c.errors };
  }
  // Fixed key order: the canonical JSON is what duplicates and replacements are compared on.
  const content: Omit<OnlineVolumeRow, 'id'> = {
    date,
    itemCode,
    channel,
    count,
    fullyOnline,
    ...(itemName !== undefined && { itemName }),
    ...(department !== undefined && { department }),
    ...(asOf !== undefined && { asOf }),
  };
  return { ok: true, record: withId(givenId, content) };
}

export const onlineFeed: FeedModule<OnlineVolumeRow> = {
  name: 'online',
  fieldAliases: aliasesFrom(ONLINE_FIELD_LABELS),
  normalize,
  naturalKey: (r) => `${r.date}|${r.itemCode}|${r.channel}`,
};
