import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import { TemplateError } from './sentence-template.ts';

/**
 * The indicator table (部门整体支出绩效自评表, indicator part) as a template per province and year
 * (templates/indicators/*.yaml): its rows, the KPI each row shows, its 分值, and the scoring rule.
 */

const targetSchema = z.object({ value: z.number().finite(), direction: z.enum(['>=', '<=']) }).strict();

const rowSchema = z
  .object({
    level1: z.string().min(1),
    level2: z.string().min(1),
    /** 三级指标; the KPI's Chinese name when left out. */
    name: z.string().min(1).optional(),
    /** A KPI id of KPIS.md, or null for a row others fill in (预算执行率, by finance). */
    kpi: z.string().nullable(),
    weight: z.number().positive().finite(),
    /** Used only when no target is set for the year through the targets API. */
    target: targetSchema.optional(),
    note: z.string().optional(),
    /**
     * A row filled from the year's budget execution (PUT /api/admin/budget/:year) instead of a KPI: `rate` is
     * 预算执行率 (the 自评表's budget block, 分值 × 执行率); an amount (`spent`, `basic`, `project`, …) makes a
     * 成本指标 row, its 实际完成值 that amount in 万元, scored against `target` like any row.
     */
    budget: z.enum(['rate', 'approved', 'available', 'spent', 'basic', 'project']).optional(),
  })
  .strict();

/** 自评等级 thresholds on 总分: 优 ≥ excellent, 良 ≥ good, 中 ≥ pass, 差 below. */
const gradesSchema = z
  .object({ excellent: z.number().finite(), good: z.number().finite(), pass: z.number().finite() })
  .strict()
  .refine((g) => g.excellent > g.good && g.good > g.pass, 'grades: excellent > good > pass');

const templateSchema = z
  .object({
    name: z.string().min(1),
    province: z.string().min(1),
    /** The year the template is for; null for any year. */
    year: z.number().int().min(2000).max(2100).nullable().default(null),
    scoring: z.literal('proportional').default('proportional'),
    grades: gradesSchema.default({ excellent: 90, good: 80, pass: 60 }),
    rows: z.array(rowSchema).min(1),
  })
  .strict();

export type IndicatorTemplate = z.output<typeof templateSchema>;
export type IndicatorTemplateRow = IndicatorTemplate['rows'][number];

/** The total 分值 of a template's rows. */
export const FULL_SCORE = 100;

/** Parses and validates an indicator template (YAML or JSON); throws TemplateError listing every problem. */
export function parseIndicatorTemplate(source: string): IndicatorTemplate {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (err) {
    throw new TemplateError([`not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TemplateError(parsed.error.issues.map((i) => `${i.path.join('.') || '(template)'}: ${i.message}`));
  }
  const problems: string[] = [];
  parsed.data.rows.forEach((row, i) => {
    if (row.kpi !== null && !KPI_BY_ID.has(row.kpi)) problems.push(`rows.${i}.kpi: unknown KPI id "${row.kpi}" (see KPIS.md)`);
    if (row.kpi === null && !row.name) problems.push(`rows.${i}: a row without a KPI needs a name`);
    if (row.budget && row.kpi !== null) problems.push(`rows.${i}: a budget row has kpi: null`);
    if (row.budget && row.budget !== 'rate' && !row.target)
      problems.push(`rows.${i}: a 成本指标 row (budget: ${row.budget}) needs a target in 万元`);
  });
  const total = parsed.data.rows.reduce((sum, r) => sum + r.weight, 0);
  if (Math.abs(total - FULL_SCORE) > 1e-9) problems.push(`rows: 分值 must add up to ${FULL_SCORE} (they add up to ${total})`);
  if (problems.length > 0) throw new TemplateError(problems);
  return parsed.data;
}

/** A year's target of a KPI as the targets API stores it. */
export interface TargetSetting {
  target: number;
  direction: '>=' | '<=';
}

/** One row of the table as exported. Numbers are the served ones; `score` is rounded to 0.01 point. */
export interface IndicatorRow {
  level1: string;
  level2: string;
  name: string;
  kpi: string | null;
  /** 年度指标值, or null for a row filled in by others. */
  target: TargetSetting | null;
  /** Where the target came from: the year's targets (API) or the template's fallback. */
  targetSource: 'targets' | 'template' | null;
  /** 实际完成值: the served figure (null value: cannot be computed), or null for a row filled in by others. */
  actual: KpiValue | null;
  weight: number;
  /** 得分, or null for a row filled in by others. */
  score: number | null;
  met: boolean | null;
  note: string;
  /** The budget figure the row is filled from (template `budget`), else absent. */
  budget?: IndicatorTemplateRow['budget'];
}

export interface IndicatorTable {
  templateName: string;
  rows: IndicatorRow[];
  /** Rows of the template left out because their KPI has no target for the year (三级指标 names). */
  withoutTarget: string[];
  /** Sum of 分值 of the rows shown, and of their 得分 (rows filled in by others count 0 until filled). */
  totalWeight: number;
  totalScore: number;
}

const roundScore = (points: number) => Math.round(points * 100) / 100;

/**
 * 得分 of a figure against its target: full marks when met; otherwise proportional — weight × actual /
 * target for “≥”, weight × target / actual for “≤” — within [0, weight]; 0 when the figure is null.
 * `met` is the KPI API's status when it judged the same target.
 */
export function scoreOf(actual: number | null, target: TargetSetting, weight: number, met: boolean): number {
  if (met) return weight;
  if (actual === null) return 0;
  const share = target.direction === '>=' ? (target.target > 0 ? actual / target.target : 1) : actual > 0 ? target.target / actual : 1;
  return roundScore(Math.min(weight, Math.max(0, weight * share)));
}

/** The table for the served figures of the period, with the year's targets (API.md targets). */
export function buildIndicatorTable(
  template: IndicatorTemplate,
  kpis: Record<string, KpiValue>,
  targets: Record<string, TargetSetting>,
): IndicatorTable {
  const rows: IndicatorRow[] = [];
  const withoutTarget: string[] = [];
  for (const row of template.rows) {
    const name = row.name ?? (row.kpi ? KPI_BY_ID.get(row.kpi)!.nameZh : '');
    if (row.kpi === null) {
      rows.push({
        level1: row.level1,
        level2: row.level2,
        name,
        kpi: null,
        target: row.target ? { target: row.target.value, direction: row.target.direction } : null,
        targetSource: row.target ? 'template' : null,
        actual: null,
        weight: row.weight,
        score: null,
        met: null,
        note: row.note ?? '',
        ...(row.budget && { budget: row.budget }),
      });
      continue;
    }
    const fromApi = targets[row.kpi];
    const target = fromApi ?? (row.target ? { target: row.target.value, direction: row.target.direction } : null);
    if (!target) {
      withoutTarget.push(name);
      continue;
    }
    const actual = kpis[row.kpi] ?? { value: null };
    // The KPI API judged met / not met against the year's target; a template fallback is judged the same way here.
    const met =
      fromApi && actual.status
        ? actual.status === 'met'
        : actual.value !== null && (target.direction === '>=' ? actual.value >= target.target : actual.value <= target.target);
    rows.push({
      level1: row.level1,
      level2: row.level2,
      name,
      kpi: row.kpi,
      target,
      targetSource: fromApi ? 'targets' : 'template',
      actual,
      weight: row.weight,
      score: scoreOf(actual.value, target, row.weight, met),
      met,
      note: row.note ?? '',
    });
  }
  return {
    templateName: template.name,
    rows,
    withoutTarget,
    totalWeight: rows.reduce((sum, r) => sum + r.weight, 0),
    totalScore: roundScore(rows.reduce((sum, r) => sum + (r.score ?? 0), 0)),
  };
}
