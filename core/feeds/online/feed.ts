import type { FeedModule, NormalizeContext, NormalizeResult } from '../../../shared/feeds/feed.ts';
import { aliasesFrom, collectFields, NOT_AN_OBJECT, withId } from '../fields.ts';
import { boolean, count, enumeration, localDay, recordSchema, required, text, time, type FieldSpec } from '../field-kinds.ts';
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

/** Each field's kind: what normalize parses and what the record's JSON Schema says. */
export const ONLINE_FIELD_SPECS = {
  id: text(128),
  date: required(localDay(true)),
  itemCode: required(text(64)),
  itemName: text(256),
  department: text(128),
  channel: required(enumeration(ONLINE_CHANNELS)),
  fullyOnline: boolean,
  count: required(count(ONLINE_MAX_COUNT)),
  asOf: time(),
} satisfies Record<keyof typeof ONLINE_FIELD_LABELS, FieldSpec<unknown>>;

function normalize(input: unknown, ctx: NormalizeContext): NormalizeResult<OnlineVolumeRow> {
  const c = collectFields(input, onlineFeed.fieldAliases, ONLINE_FIELD_LABELS);
  if (!c) return NOT_AN_OBJECT;
  const f = ONLINE_FIELD_SPECS;
  const givenId = c.read('id', f.id, ctx);
  const date = c.read('date', f.date, ctx);
  const itemCode = c.read('itemCode', f.itemCode, ctx);
  const itemName = c.read('itemName', f.itemName, ctx);
  const department = c.read('department', f.department, ctx);
  const channel = c.read('channel', f.channel, ctx);
  const fullyOnline = c.read('fullyOnline', f.fullyOnline, ctx) ?? false;
  const count = c.read('count', f.count, ctx);
  const asOf = c.read('asOf', f.asOf, ctx);
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
  recordSchema: recordSchema('一网通办 办件量 online volume row', ONLINE_FIELD_LABELS, ONLINE_FIELD_SPECS),
  naturalKey: (r) => `${r.date}|${r.itemCode}|${r.channel}`,
};
