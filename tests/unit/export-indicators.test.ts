import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildIndicatorTable, parseIndicatorTemplate, scoreOf } from '../../core/export/indicator-template.ts';
import { type TemplateError } from '../../core/export/sentence-template.ts';

const national = parseIndicatorTemplate(readFileSync(new URL('../../templates/indicators/national.yaml', import.meta.url), 'utf8'));

describe('indicator table template', () => {
  it('ships the national weights: 产出 50, 效益 30, 满意度 10, 预算执行率 10 by finance', () => {
    const byLevel1 = new Map<string, number>();
    for (const r of national.rows) byLevel1.set(r.level1, (byLevel1.get(r.level1) ?? 0) + r.weight);
    expect(Object.fromEntries(byLevel1)).toEqual({ 产出指标: 50, 效益指标: 30, 满意度指标: 10, 预算执行: 10 });
    expect(national.rows.find((r) => r.kpi === null)).toMatchObject({ name: '预算执行率', weight: 10, note: '由财务填报' });
  });

  it('scores full marks when met and proportionally otherwise', () => {
    expect(scoreOf(0.99, { target: 0.95, direction: '>=' }, 5, true)).toBe(5);
    expect(scoreOf(0.87, { target: 0.95, direction: '>=' }, 10, false)).toBe(9.16);
    expect(scoreOf(40, { target: 30, direction: '<=' }, 5, false)).toBe(3.75);
    expect(scoreOf(null, { target: 0.95, direction: '>=' }, 5, false)).toBe(0);
    expect(scoreOf(5, { target: 0, direction: '>=' }, 5, false)).toBe(5);
  });

  it('builds rows from the served figures, the year’s targets first and the template’s as fallback; rows without a target are listed apart', () => {
    const template = parseIndicatorTemplate(`
name: 测试
province: 湖南省
year: 2022
rows:
  - { level1: 产出指标, level2: 数量指标, kpi: hotline.signed, weight: 40, target: { value: 100, direction: ">=" } }
  - { level1: 产出指标, level2: 质量指标, kpi: hotline.completionRate, weight: 30 }
  - { level1: 效益指标, level2: 社会效益指标, kpi: hotline.resolutionRate, weight: 20 }
  - { level1: 预算执行, level2: 预算执行率, kpi: null, name: 预算执行率, weight: 10 }
`);
    const table = buildIndicatorTable(
      template,
      {
        'hotline.signed': { value: 80 },
        'hotline.completionRate': { value: 0.9, numerator: 9, denominator: 10, target: 0.95, status: 'not_met' },
        'hotline.resolutionRate': { value: 0.87, numerator: 87, denominator: 100 },
      },
      { 'hotline.completionRate': { target: 0.95, direction: '>=' } },
    );
    expect(table.rows.map((r) => [r.name, r.targetSource, r.score, r.met])).toEqual([
      ['签收工单', 'template', 32, false],
      ['办结率', 'targets', 28.42, false],
      ['预算执行率', null, null, null],
    ]);
    expect(table.withoutTarget).toEqual(['问题解决率']);
    expect(table.totalWeight).toBe(80);
    expect(table.totalScore).toBe(60.42);
  });

  it('rejects a template with every problem listed', () => {
    const bad = `
name: 坏模板
province: 湖南省
rows:
  - { level1: 产出指标, level2: 数量指标, kpi: hotline.nope, weight: 60 }
  - { level1: 预算执行, level2: 预算执行率, kpi: null, weight: 10 }
  - { level1: 产出指标, level2: 数量指标, kpi: hotline.signed, weight: -1 }
`;
    const problems = (() => {
      try {
        parseIndicatorTemplate(bad);
        return [];
      } catch (e) {
        return (e as TemplateError).problems;
      }
    })();
    expect(problems.join('\n')).toContain('rows.2.weight');
    const fixedWeight = bad.replace('weight: -1', 'weight: 30');
    expect(() => parseIndicatorTemplate(fixedWeight)).toThrow(
      /unknown KPI id "hotline.nope"[\s\S]*rows.1: a row without a KPI needs a name/,
    );
    expect(() =>
      parseIndicatorTemplate(
        fixedWeight
          .replace('hotline.nope', 'hotline.signed')
          .replace('kpi: null,', 'kpi: null, name: 预算执行率,')
          .replace('weight: 60', 'weight: 50'),
      ),
    ).toThrow('分值 must add up to 100 (they add up to 90)');
    expect(() => parseIndicatorTemplate('rows: [')).toThrow('not valid YAML');
  });
});
