import { describe, expect, it } from 'vitest';
import { budgetProblems, executionRateBp, executionRateText, executionScore } from '../../shared/budget.ts';
import { buildSelfAssessment, gradeOf, mergeSpans } from '../../core/export/self-assessment.ts';
import { buildIndicatorTable, parseIndicatorTemplate } from '../../core/export/indicator-template.ts';

const SEED = { approved: 2970.96, available: 2677.2, spent: 2677.2, basic: 2049.72, project: 627.48 };

describe('budget execution rules (shared/budget.ts)', () => {
  it('accepts the seed report’s 2022 figures: 执行率 90.11%, 得分 9.01 of 10', () => {
    expect(budgetProblems(SEED)).toEqual([]);
    const bp = executionRateBp(SEED);
    expect(bp).toBe(9011);
    expect(executionRateText(bp)).toBe('90.11%');
    expect(executionScore(bp, 10)).toBe(9.01);
  });

  it('names the field of every refused value', () => {
    const fields = (body: unknown) => budgetProblems(body).map((p) => p.field);
    expect(fields({ ...SEED, approved: -0.01 })).toEqual(['approved']);
    expect(fields({ ...SEED, basic: 1.001 })).toEqual(['basic']);
    expect(fields({ ...SEED, spent: Number.NaN })).toEqual(['spent']);
    expect(fields({ ...SEED, project: 627.47 })).toEqual(['project']); // basic + project ≠ spent
    expect(fields({ ...SEED, available: 2677.19 })).toEqual(['spent']); // spent > available
    expect(fields({ ...SEED, goal: 42 })).toEqual(['goal']);
    expect(fields({ ...SEED, extra: 1 })).toEqual(['(body)']);
    expect(fields([])).toEqual(['(body)']);
    expect(budgetProblems({ ...SEED, available: 3000 })).toEqual([]); // funds added during the year
  });

  it('caps 得分 at 分值 when more than the approved budget was spent', () => {
    expect(executionScore(executionRateBp({ approved: 100, spent: 120 }), 10)).toBe(10);
  });
});

describe('the 自评表 model', () => {
  const template = parseIndicatorTemplate(`
name: 测试
province: 湖南省
grades: { excellent: 95, good: 85, pass: 60 }
rows:
  - { level1: 产出指标, level2: 数量指标, kpi: hotline.signed, weight: 30, target: { value: 100, direction: ">=" } }
  - { level1: 产出指标, level2: 数量指标, kpi: hotline.completed, weight: 20, target: { value: 100, direction: ">=" } }
  - { level1: 产出指标, level2: 成本指标, kpi: null, budget: project, name: 项目支出控制数, weight: 20, target: { value: 600, direction: "<=" } }
  - { level1: 满意度指标, level2: 服务对象满意度指标, kpi: hotline.satisfactionRate, weight: 20, target: { value: 0.9, direction: ">=" } }
  - { level1: 预算执行, level2: 预算执行率, kpi: null, budget: rate, name: 预算执行率, weight: 10 }
`);
  const kpis = {
    'hotline.signed': { value: 120 },
    'hotline.completed': { value: 100 },
    'hotline.satisfactionRate': { value: 0.95, numerator: 95, denominator: 100 },
  };
  const table = buildIndicatorTable(template, kpis, {});
  const record = { ...SEED, year: 2022, department: '', goal: '', outcome: '', executionRatePct: 90.11, updatedAt: '', updatedBy: 'admin' };

  it('fills the budget block and the 成本指标 row from the budget, totals and grades by the template’s thresholds', () => {
    const form = buildSelfAssessment(2022, table, template, record, ['句一。', '句二。']);
    expect(form.budget).toMatchObject({ rateText: '90.11%', score: 9.01 });
    const cost = form.rows.find((r) => r.level2 === '成本指标')!;
    // 627.48 万元 against ≤ 600: 20 × 600 / 627.48 = 19.12
    expect(cost).toMatchObject({ targetText: '≤600.00万元', actualText: '627.48万元', actualValue: 627.48, score: 19.12 });
    expect(form.totalWeight).toBe(100);
    expect(form.totalScore).toBe(98.13);
    expect(form.grade).toBe('优');
    expect(form.outcome).toBe('句一。句二。');
    expect(form.department).toBeNull();
  });

  it('says 待财政填报 where the budget is not entered, and grades nothing', () => {
    const form = buildSelfAssessment(2022, table, template, null, []);
    expect(form.budget).toBeNull();
    expect(form.rows.find((r) => r.level2 === '成本指标')).toMatchObject({ actualText: '待财政填报', score: null });
    expect(form.grade).toBeNull();
    expect(form.gradeText).toBe('自评等级：待财政填报后评定');
  });

  it('grades 优 ≥ 90, 良 80–90, 中 60–80, 差 below by default, and merges equal 一级/二级 runs', () => {
    const grades = { excellent: 90, good: 80, pass: 60 };
    expect([90, 89.99, 80, 60, 59.99].map((t) => gradeOf(t, grades))).toEqual(['优', '良', '良', '中', '差']);
    expect(mergeSpans(['a', 'a', 'b', 'a'])).toEqual([2, 0, 1, 1]);
  });
});
