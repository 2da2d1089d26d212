import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KpiValue } from '../../shared/kpis.ts';
import { parseSentenceTemplate, renderSentences, TemplateError } from '../../core/export/sentence-template.ts';

const rate = (numerator: number, denominator: number): KpiValue => ({
  value: denominator === 0 ? null : numerator / denominator,
  numerator,
  denominator,
});
const YEAR_2022 = { from: '2022-01-01', to: '2022-12-31' };
const shipped = parseSentenceTemplate(readFileSync(new URL('../../templates/sentences.txt', import.meta.url), 'utf8'));

/** The 2022 report's figures (seed report, section 八 and 九), as the KPI API would serve them. */
const report2022: Record<string, KpiValue> = {
  'online.volume': { value: 713752 },
  'online.yoyMultiple': rate(713752, 38383),
  'hotline.signed': { value: 3037 },
  'hotline.completed': { value: 2792 },
  'hotline.visited': { value: 2735 },
  'hotline.resolutionRate': rate(2380, 2735),
  'hotline.satisfactionRate': rate(2712, 2735),
  'hall.servedMatters': { value: 374639 },
  'hall.dailyAvgVisitors': rate(745_000, 364.6),
  'crossRegion.partners': { value: 18, breakdown: { inter_provincial: 15, changzhutan: 3 } },
  'crossRegion.items': { value: 139 },
  'crossRegion.received': { value: 412 },
  'crossRegion.completed': { value: 405 },
  'evaluations.count': { value: 30512 },
  'evaluations.positiveRate': rate(30300, 30512),
  'evaluations.negative': { value: 37 },
};

describe('the shipped figures paragraph template', () => {
  it('reproduces the 2022 report’s sentences from the 2022 figures', () => {
    const text = renderSentences(shipped, report2022, YEAR_2022).join('\n');
    expect(text).toContain('2022年，“一网通办”系统办件量共计713752件，是去年办件量（38383件）的18倍');
    expect(text).toContain('共签收“一呼即应”工单3037条，办结2792条，回访工单2735条，问题解决率87%，回访满意度达99%以上');
    expect(text).toContain('政务大厅接待政务服务事项达374639件次，日均人流量2000余人次');
    expect(text).toContain('已与15个地区签署“跨省通办”合作协议，与3个地区签署“长株潭跨域通办”协议，梳理高频政务服务“跨省通办”事项139项');
    expect(text).toContain('受理跨域通办件412件、办结405件');
    expect(text).toContain('共收到评价30512条，好评率99%，差评37条');
  });

  it('leaves out a clause whose rate is null, never writing 0%', () => {
    const kpis = {
      ...report2022,
      'hotline.resolutionRate': rate(0, 0),
      'hotline.satisfactionRate': rate(0, 0),
      'online.yoyMultiple': rate(713752, 0),
    };
    const text = renderSentences(shipped, kpis, YEAR_2022).join('\n');
    expect(text).toContain('回访工单2735条。');
    expect(text).not.toContain('问题解决率');
    expect(text).not.toContain('满意度');
    expect(text).toContain('办件量共计713752件。');
    expect(text).not.toMatch(/\b0%/);
  });

  it('names a month “2022年3月” and its comparison “去年同期”', () => {
    const text = renderSentences(shipped, report2022, { from: '2022-03-01', to: '2022-03-31' })[0];
    expect(text).toBe('2022年3月，“一网通办”系统办件量共计713752件，是去年同期办件量（38383件）的18倍。');
  });
});

describe('sentence templates', () => {
  it('leaves out the whole sentence when a placeholder outside a clause is null', () => {
    const t = parseSentenceTemplate('问题解决率{hotline.resolutionRate}。\n签收{hotline.signed}条。');
    expect(renderSentences(t, { 'hotline.resolutionRate': rate(0, 0), 'hotline.signed': { value: 0 } }, YEAR_2022)).toEqual(['签收0条。']);
  });

  it('writes numerator, denominator, target and breakdown parts', () => {
    const t = parseSentenceTemplate(
      '{hotline.resolutionRate.numerator}/{hotline.resolutionRate.denominator}，目标{hotline.signed.target}，长株潭{crossRegion.partners.changzhutan}个',
    );
    const kpis = {
      'hotline.resolutionRate': rate(2380, 2735),
      'hotline.signed': { value: 1, target: 3000 },
      'crossRegion.partners': { value: 18, breakdown: { inter_provincial: 15, changzhutan: 3 } },
    };
    expect(renderSentences(t, kpis, YEAR_2022)).toEqual(['2380/2735，目标3000，长株潭3个']);
    // A target that is not set cannot be written.
    expect(renderSentences(t, { ...kpis, 'hotline.signed': { value: 1 } }, YEAR_2022)).toEqual([]);
  });

  it('rejects a template with every problem listed', () => {
    const source = '# comment\n{hotline.nope}\n{hotline.signed|wobble} [a [b]] ]\n{hall.dailyAvgVisitors}\n{online.volume';
    let error: unknown;
    try {
      parseSentenceTemplate(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    const problems = (error as TemplateError).problems.join('\n');
    expect(problems).toContain('line 2: {hotline.nope}: unknown KPI id');
    expect(problems).toContain('unknown rule "wobble"');
    expect(problems).toContain('clauses do not nest');
    expect(problems).toContain('"]" without "["');
    expect(problems).toContain('line 4: {hall.dailyAvgVisitors}: a ratio needs a rule');
    expect(problems).toContain('line 5, column 1: "{" is not closed');
    expect(() => parseSentenceTemplate('# only comments\n\n')).toThrow('no sentence');
  });

  it('lists the KPI ids it reads', () => {
    expect(shipped.kpiIds).toContain('online.yoyMultiple');
    expect(shipped.kpiIds).toContain('crossRegion.partners');
  });
});
