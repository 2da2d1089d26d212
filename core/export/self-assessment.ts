import { executionRateBp, executionRateText, executionScore, wanText, type BudgetFigures, type BudgetRecord } from '../../shared/budget.ts';
import { scoreOf, type IndicatorRow, type IndicatorTable, type IndicatorTemplate } from './indicator-template.ts';
import { actualText, targetText } from './table-text.ts';

/**
 * The whole 部门整体支出绩效自评表 of a year (REPORT.md v2), built from the indicator table (the KPI API's
 * figures), the year's budget execution and texts (BudgetService), and the template (分值, grades). The DOCX
 * and XLSX lay it out the same way; nothing here is invented: where finance has not entered the budget, the
 * budget block and every row that needs it say 待财政填报 and the grade waits for it.
 */

/** What the form writes where finance has not entered the year's budget. */
export const AWAITING_FINANCE = '待财政填报';
/** What the form writes for a text the bureau has not written (部门名称, 年度总体目标). */
export const AWAITING_BUREAU = '（待填写）';

export type Grade = '优' | '良' | '中' | '差';

export interface BudgetBlock {
  figures: BudgetFigures;
  /** 执行率 in basis points (9011 = 90.11%) and as written. */
  rateBp: number;
  rateText: string;
  /** 分值 × 执行率, two decimals. */
  score: number;
}

/** One indicator row of the form: cell texts for the DOCX, numbers for the XLSX. */
export interface FormRow {
  level1: string;
  level2: string;
  name: string;
  targetText: string;
  actualText: string;
  /** The KPI id behind the row (its number format), or the budget amount in 万元 of a 成本指标 row. */
  kpi: string | null;
  budget: IndicatorRow['budget'] | null;
  targetValue: number | null;
  actualValue: number | null;
  weight: number;
  /** 得分; null where it waits for finance. */
  score: number | null;
  note: string;
}

export interface SelfAssessmentForm {
  year: number;
  /** 部门名称, or null when the bureau has not written it. */
  department: string | null;
  /** The 预算执行率 row's 分值 (10 in the national template); 0 when the template has none. */
  budgetWeight: number;
  /** null: finance has not entered the year's budget (the block says 待财政填报). */
  budget: BudgetBlock | null;
  /** 年度总体目标, or null when not written. */
  goal: string | null;
  /** 实际完成情况: the bureau's text, else the figures paragraph. */
  outcome: string;
  outcomeIsDefault: boolean;
  rows: FormRow[];
  /** Sum of 分值 of the budget block and the rows (100 when every row has a target). */
  totalWeight: number;
  totalScore: number;
  /** 自评等级; null while the budget waits for finance or a row of the template has no target (总分 is not out of 100). */
  grade: Grade | null;
  /** The 自评等级 cell: `自评等级：优`, or why there is none yet. */
  gradeText: string;
  grades: IndicatorTemplate['grades'];
}

/** The grade of a total score by the template's thresholds. */
export function gradeOf(total: number, grades: IndicatorTemplate['grades']): Grade {
  return total >= grades.excellent ? '优' : total >= grades.good ? '良' : total >= grades.pass ? '中' : '差';
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function costRow(row: IndicatorRow, budget: BudgetRecord | null): FormRow {
  const field = row.budget as Exclude<IndicatorRow['budget'], 'rate' | undefined>;
  const target = row.target!;
  const actual = budget ? budget[field] : null;
  const sign = target.direction === '>=' ? '≥' : '≤';
  const score =
    actual === null
      ? null
      : scoreOf(actual, target, row.weight, target.direction === '>=' ? actual >= target.target : actual <= target.target);
  return {
    level1: row.level1,
    level2: row.level2,
    name: row.name,
    targetText: `${sign}${wanText(target.target)}万元`,
    actualText: actual === null ? AWAITING_FINANCE : `${wanText(actual)}万元`,
    kpi: null,
    budget: field,
    targetValue: target.target,
    actualValue: actual,
    weight: row.weight,
    score,
    note: row.note,
  };
}

function kpiRow(row: IndicatorRow): FormRow {
  return {
    level1: row.level1,
    level2: row.level2,
    name: row.name,
    targetText: row.kpi && row.target ? targetText(row.kpi, row.target) : '',
    actualText: row.kpi ? actualText(row.kpi, row.actual) : '',
    kpi: row.kpi,
    budget: null,
    targetValue: row.target?.target ?? null,
    actualValue: row.actual?.value ?? null,
    weight: row.weight,
    score: row.score,
    note: row.note,
  };
}

/** The form of `year` from the indicator table, the template, the year's budget record (or null) and the figures paragraph. */
export function buildSelfAssessment(
  year: number,
  indicators: IndicatorTable,
  template: IndicatorTemplate,
  budget: BudgetRecord | null,
  sentences: string[],
  /** The bureau-name setting: 部门名称 when the budget's own text leaves it empty. */
  bureau = '',
): SelfAssessmentForm {
  const rateRow = indicators.rows.find((r) => r.budget === 'rate' || (r.kpi === null && !r.budget && r.name === '预算执行率'));
  const budgetWeight = rateRow?.weight ?? 0;
  let block: BudgetBlock | null = null;
  if (budget) {
    const rateBp = executionRateBp(budget);
    block = {
      figures: {
        approved: budget.approved,
        available: budget.available,
        spent: budget.spent,
        basic: budget.basic,
        project: budget.project,
      },
      rateBp,
      rateText: executionRateText(rateBp),
      score: executionScore(rateBp, budgetWeight),
    };
  }
  const rows = indicators.rows.filter((r) => r !== rateRow).map((r) => (r.budget ? costRow(r, budget) : kpiRow(r)));
  const totalWeight = budgetWeight + rows.reduce((sum, r) => sum + r.weight, 0);
  const totalScore = round2((block?.score ?? 0) + rows.reduce((sum, r) => sum + (r.score ?? 0), 0));
  const awaitingFinance = block === null || rows.some((r) => r.score === null);
  const grade = awaitingFinance || indicators.withoutTarget.length > 0 ? null : gradeOf(totalScore, template.grades);
  const gradeText = grade
    ? `自评等级：${grade}`
    : awaitingFinance
      ? `自评等级：${AWAITING_FINANCE}后评定`
      : '自评等级：待各指标设定年度指标值后评定';
  const outcome = budget?.outcome ? budget.outcome : sentences.join('');
  return {
    year,
    department: budget?.department || bureau || null,
    budgetWeight,
    budget: block,
    goal: budget?.goal || null,
    outcome,
    outcomeIsDefault: !budget?.outcome,
    rows,
    totalWeight,
    totalScore,
    grade,
    gradeText,
    grades: template.grades,
  };
}

/** Runs of equal cells for vertical merges: for each row, how many rows its cell spans (0 for a row inside a run). */
export function mergeSpans(keys: string[]): number[] {
  const spans = keys.map(() => 0);
  for (let i = 0; i < keys.length;) {
    let j = i + 1;
    while (j < keys.length && keys[j] === keys[i]) j++;
    spans[i] = j - i;
    i = j;
  }
  return spans;
}

/** The 一级 and 二级 spans of the form's rows (二级 runs never cross a 一级 boundary). */
export function formSpans(rows: FormRow[]): { level1: number[]; level2: number[] } {
  return { level1: mergeSpans(rows.map((r) => r.level1)), level2: mergeSpans(rows.map((r) => `${r.level1}\u0000${r.level2}`)) };
}
