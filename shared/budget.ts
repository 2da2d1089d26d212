/**
 * A year's budget execution (年度预算执行情况, API.md v2 `PUT /api/admin/budget/:year`) and the texts of the
 * 自评表 the bureau writes beside it: its rules, shared by the server (which refuses bad values) and the
 * console form (which shows 执行率 and 得分 as they are typed). Amounts are 万元 with at most 2 decimals;
 * every sum and rate is computed in 分 (hundredths of 万元) as integers, so 2049.72 + 627.48 is 2677.20 exactly.
 */

import { msg, type Message, type MessageCode, type MessageParam } from './messages/index.ts';

export const BUDGET_FIELDS = ['approved', 'available', 'spent', 'basic', 'project'] as const;
export type BudgetField = (typeof BUDGET_FIELDS)[number];

/** The form's words for each amount. */
export const BUDGET_FIELD_ZH: Record<BudgetField, string> = {
  approved: '预算批复数',
  available: '全年到位资金',
  spent: '全年执行数',
  basic: '基本支出',
  project: '项目支出',
};

/** The texts of the form; an empty text falls back to its default when exported. */
export const BUDGET_TEXT_FIELDS = ['department', 'goal', 'outcome'] as const;
export type BudgetTextField = (typeof BUDGET_TEXT_FIELDS)[number];
export const BUDGET_TEXT_FIELD_ZH: Record<BudgetTextField, string> = {
  department: '部门名称',
  goal: '年度总体目标',
  outcome: '实际完成情况',
};
/** The longest text accepted per field, in characters. */
export const BUDGET_TEXT_MAX: Record<BudgetTextField, number> = { department: 100, goal: 4000, outcome: 4000 };

/** The largest amount accepted: 10^8 万元 (one trillion yuan), far above any bureau, and exact in 分. */
export const BUDGET_MAX_WAN = 100_000_000;

export type BudgetFigures = Record<BudgetField, number>;
export type BudgetTexts = Record<BudgetTextField, string>;

/** What `GET /api/admin/budget/:year` answers. */
export interface BudgetRecord extends BudgetFigures, BudgetTexts {
  year: number;
  /** Percent with two decimals: 90.11 for 2677.20 / 2970.96. */
  executionRatePct: number;
  /** ISO instant and username of the last change. */
  updatedAt: string;
  updatedBy: string;
}

/** One refused value: the field (API name) and why (a message of shared/messages, rendered in the reader's language). */
export interface BudgetProblem {
  field: BudgetField | BudgetTextField | '(body)';
  problem: Message;
}

/** An amount in 分 (hundredths of 万元); only for values that passed `budgetProblems`. */
export const toFen = (wan: number) => Math.round(wan * 100);

const hasAtMostTwoDecimals = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;

/**
 * Every problem of a body, each naming its field: a missing, non-numeric, negative, too large or
 * more-than-two-decimal amount; 预算批复数 of 0 (执行率 would divide by it); 基本支出 + 项目支出 ≠ 全年执行数;
 * 全年执行数 > 全年到位资金. 全年到位资金 above 预算批复数 is allowed (funds added during the year).
 * Texts are optional; a text that is there must be a string within its length.
 */
export function budgetProblems(body: unknown): BudgetProblem[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ field: '(body)', problem: msg('budget.bad_body', { fields: BUDGET_FIELDS.join(', ') }) }];
  }
  const b = body as Record<string, unknown>;
  const problems: BudgetProblem[] = [];
  const named = (f: BudgetField | BudgetTextField) => ({
    field: f,
    label: (BUDGET_FIELD_ZH as Record<string, string>)[f] ?? BUDGET_TEXT_FIELD_ZH[f as BudgetTextField],
  });
  const refuse = (f: BudgetField | BudgetTextField, code: MessageCode, params: Record<string, MessageParam> = {}) =>
    problems.push({ field: f, problem: msg(code, { ...named(f), ...params }) });
  for (const f of BUDGET_FIELDS) {
    const v = b[f];
    if (v === undefined || v === null) refuse(f, 'budget.required');
    else if (typeof v !== 'number' || !Number.isFinite(v)) refuse(f, 'budget.not_number');
    else if (v < 0) refuse(f, 'budget.negative');
    else if (v > BUDGET_MAX_WAN) refuse(f, 'budget.too_large', { max: BUDGET_MAX_WAN });
    else if (!hasAtMostTwoDecimals(v)) refuse(f, 'budget.decimals');
  }
  for (const f of BUDGET_TEXT_FIELDS) {
    const v = b[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') refuse(f, 'budget.not_text');
    else if (v.length > BUDGET_TEXT_MAX[f]) refuse(f, 'budget.text_too_long', { max: BUDGET_TEXT_MAX[f] });
  }
  const known = new Set<string>([...BUDGET_FIELDS, ...BUDGET_TEXT_FIELDS]);
  for (const key of Object.keys(b)) if (!known.has(key)) problems.push({ field: '(body)', problem: msg('budget.unknown_field', { key }) });
  if (problems.length > 0) return problems;
  const fen = Object.fromEntries(BUDGET_FIELDS.map((f) => [f, toFen(b[f] as number)])) as BudgetFigures;
  if (fen.approved === 0) refuse('approved', 'budget.approved_zero');
  if (fen.basic + fen.project !== fen.spent) {
    problems.push({
      field: 'project',
      problem: msg('budget.sum_mismatch', { sum: (fen.basic + fen.project) / 100, spent: fen.spent / 100 }),
    });
  }
  if (fen.spent > fen.available) {
    problems.push({ field: 'spent', problem: msg('budget.over_available', { spent: fen.spent / 100, available: fen.available / 100 }) });
  }
  return problems;
}

/** 执行率 in basis points (hundredths of a percent), rounded half up: 2677.20 / 2970.96 → 9011 (90.11%). */
export function executionRateBp(figures: Pick<BudgetFigures, 'approved' | 'spent'>): number {
  const approved = toFen(figures.approved);
  const spent = toFen(figures.spent);
  return approved > 0 ? Math.floor((2 * spent * 10_000 + approved) / (2 * approved)) : 0;
}

/** 执行率 as the form writes it: `90.11%`. */
export const executionRateText = (bp: number) => `${(bp / 100).toFixed(2)}%`;

/**
 * 得分 = 分值 × 执行率 (the rate as written, two decimals), to two decimals and at most 分值:
 * 10 × 90.11% = 9.011 → 9.01.
 */
export function executionScore(rateBp: number, weight: number): number {
  return Math.min(weight, Math.round((weight * rateBp) / 100) / 100);
}

/** An amount as the form writes it: two decimals, no separators (`2970.96`). */
export const wanText = (wan: number) => (toFen(wan) / 100).toFixed(2);
