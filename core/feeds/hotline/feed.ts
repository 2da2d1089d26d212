import type { FeedModule, NormalizeContext, NormalizeResult } from '../../../shared/feeds/feed.ts';
import { aliasesFrom, collectFields, NOT_AN_OBJECT, parseBoolean, parseEnum, parseText, parseTime, withId } from '../fields.ts';
import { msg } from '../../../shared/messages/index.ts';

/** 12345 “一呼即应” ticket milestones (FEEDS.md §1). Natural key: (ticketId, type). */

export const HOTLINE_MILESTONES = {
  received: '受理',
  signed: '签收',
  responded: '响应',
  completed: '办结',
  visited: '回访',
} as const;
export type HotlineMilestoneType = keyof typeof HOTLINE_MILESTONES;

export const HOTLINE_URGENCIES = { normal: '普通', complex: '复杂', urgent: '紧急' } as const;
export type HotlineUrgency = keyof typeof HOTLINE_URGENCIES;

export const HOTLINE_SOURCES = { phone: '电话', web: '网站', wechat: '微信', app: '移动端', other: '其他' } as const;
export type HotlineSource = keyof typeof HOTLINE_SOURCES;

export const SATISFACTION_LEVELS = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
} as const;
export type SatisfactionLevel = keyof typeof SATISFACTION_LEVELS;

/** Field → 中文列名, as FEEDS.md lists them. */
export const HOTLINE_FIELD_LABELS = {
  id: '编号',
  ticketId: '工单编号',
  type: '环节',
  at: '时间',
  urgency: '工单类型',
  category: '诉求分类',
  street: '所属街道',
  department: '承办单位',
  source: '来源',
  deadline: '办理时限',
  callerPhone: '来电号码',
  resolved: '是否解决',
  satisfaction: '满意度',
} as const;

/** One accepted milestone, as queued and kept in the ledger. Times are epoch milliseconds. */
export interface HotlineMilestone {
  id: string;
  ticketId: string;
  type: HotlineMilestoneType;
  at: number;
  urgency?: HotlineUrgency;
  category?: string;
  street?: string;
  department?: string;
  source?: HotlineSource;
  deadline?: number;
  /** Keyed hash of 来电号码; the clear number is never kept. */
  callerHash?: string;
  resolved?: boolean;
  satisfaction?: SatisfactionLevel;
}

const PHONE_RE = /^\+?[\d\s-]{5,20}$/;

/** A deadline (办理时限) may lie up to a year beyond the window's latest time. */
const DEADLINE_AHEAD_MS = 366 * 86_400_000;

function normalize(input: unknown, ctx: NormalizeContext): NormalizeResult<HotlineMilestone> {
  const c = collectFields(input, hotlineFeed.fieldAliases, HOTLINE_FIELD_LABELS);
  if (!c) return NOT_AN_OBJECT;
  const givenId = c.optional('id', (v) => parseText(v, 128));
  const ticketId = c.required('ticketId', (v) => parseText(v, 128));
  const type = c.required('type', (v) => parseEnum(v, HOTLINE_MILESTONES));
  const at = c.required('at', (v) => parseTime(v, ctx));
  const urgency = c.optional('urgency', (v) => parseEnum(v, HOTLINE_URGENCIES));
  const category = c.optional('category', (v) => parseText(v, 64));
  const street = c.optional('street', (v) => parseText(v, 64));
  const department = c.optional('department', (v) => parseText(v, 128));
  const source = c.optional('source', (v) => parseEnum(v, HOTLINE_SOURCES));
  const deadline = c.optional('deadline', (v) => parseTime(v, ctx, DEADLINE_AHEAD_MS));
  const phone = c.optional('callerPhone', (v) =>
    (typeof v === 'string' || typeof v === 'number') && PHONE_RE.test(String(v).trim())
      ? { value: String(v).replace(/[\s-]/g, '') }
      : { error: msg('record.not_phone') },
  );
  const resolved = c.optional('resolved', parseBoolean);
  const satisfaction = c.optional('satisfaction', (v) => parseEnum(v, SATISFACTION_LEVELS));
  if (type !== undefined && type !== 'visited' && (resolved !== undefined || satisfaction !== undefined)) {
    c.errors.push(msg('record.visit_only', { field: 'resolved/satisfaction', label: '是否解决/满意度', type }));
  }
  if (c.errors.length > 0 || ticketId === undefined || type === undefined || at === undefined) {
    return { ok: false, errors: c.errors };
  }
  // Fixed key order: the canonical JSON is what duplicates and conflicts are compared on.
  const content: Omit<HotlineMilestone, 'id'> = {
    ticketId,
    type,
    at,
    ...(urgency !== undefined && { urgency }),
    ...(category !== undefined && { category }),
    ...(street !== undefined && { street }),
    ...(department !== undefined && { department }),
    ...(source !== undefined && { source }),
    ...(deadline !== undefined && { deadline }),
    ...(phone !== undefined && { callerHash: ctx.hashPhone(phone) }),
    ...(resolved !== undefined && { resolved }),
    ...(satisfaction !== undefined && { satisfaction }),
  };
  return { ok: true, record: withId(givenId, content) };
}

export const hotlineFeed: FeedModule<HotlineMilestone> = {
  name: 'hotline',
  fieldAliases: aliasesFrom(HOTLINE_FIELD_LABELS),
  normalize,
  naturalKey: (r) => `${r.ticketId}|${r.type}`,
};
