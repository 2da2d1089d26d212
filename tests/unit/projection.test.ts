import { describe, expect, it } from 'vitest';
import { projectKpis, statusAgainst, type ProjectionInput } from '../../core/projection/project-kpis.ts';
import { projectionSentence } from '../../core/export/projection-section.ts';
import { isWorkingDay, SHIPPED_CALENDAR, workingDaysBetween } from '../../shared/calendar/working-days.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { daysInRange } from '../../shared/time.ts';
import type { Fields } from '../../shared/kpis.ts';

const YEAR = 2026;
const yearDays = (year: number) => daysInRange(`${year}-01-01`, `${year}-12-31`);

/** Day totals of `year` up to `asOf` (all of it when asOf is later), each from `fieldsOf(day)`. */
function days(year: number, asOf: string, fieldsOf: (day: string) => Fields): Fields[] {
  return yearDays(year)
    .filter((d) => d <= asOf)
    .map(fieldsOf);
}

function input(asOf: string, feeds: ProjectionInput['feeds'], targets: ProjectionInput['targets'] = null): ProjectionInput {
  return { year: YEAR, asOf, feeds, calendar: SHIPPED_CALENDAR, settings: DEFAULT_SETTINGS, targets };
}

describe('the working-day calendar (shared/calendar/working-days.ts)', () => {
  it('knows weekends, the 2026 Spring Festival and its 调休 working Saturday', () => {
    expect(isWorkingDay('2026-03-02')).toBe(true); // a Monday
    expect(isWorkingDay('2026-03-07')).toBe(false); // a Saturday
    expect(isWorkingDay('2026-02-16')).toBe(false); // 春节, a Monday
    expect(isWorkingDay('2026-02-14')).toBe(true); // 调休 Saturday
    expect(isWorkingDay('2022-10-08')).toBe(true); // 调休 Saturday after National Day 2022
    expect(workingDaysBetween('2026-10-01', '2026-10-10')).toBe(3); // 10-08, 10-09 and the 调休 Saturday 10-10
    expect(workingDaysBetween('2026-01-01', '2026-12-31')).toBe(248); // 261 weekdays − 19 holidays on weekdays + 6 调休 Saturdays and Sundays
  });

  it('takes an administrator’s override of a year', () => {
    const calendar = { ...SHIPPED_CALENDAR, [YEAR]: { holidays: ['2026-03-02'], workdays: ['2026-03-07'] } };
    expect(isWorkingDay('2026-03-02', calendar)).toBe(false);
    expect(isWorkingDay('2026-03-07', calendar)).toBe(true);
    expect(isWorkingDay('2026-02-16', calendar)).toBe(true); // the override replaces the shipped year
  });
});

describe('预计全年 (core/projection/project-kpis.ts)', () => {
  it('projects a flat series at its pace, with a narrow interval around it', () => {
    const asOf = '2026-06-30';
    const { 'evaluations.count': count } = projectKpis(
      input(asOf, { evaluations: { current: days(YEAR, asOf, () => ({ count: 20 })), previous: null } }),
    );
    expect(count!.value).toBe(20 * 365);
    expect(count!.low!).toBeLessThan(20 * 365);
    expect(count!.high!).toBeGreaterThan(20 * 365);
    expect((count!.high! - count!.low!) / 2 / count!.value!).toBeLessThan(0.1);
    expect(count!.basis).toMatchObject({ daysObserved: 181, daysLeft: 184, previousYearProfile: false, calendar: false, method: 'pace' });
  });

  it('projects a hall open on working days only by the working days left, holidays and 调休 included', () => {
    const asOf = '2026-09-30'; // the National Day week (7 days off, one 调休 Saturday) is still ahead
    const hall = (d: string): Fields => (isWorkingDay(d) ? { taken: 100, served: 90 } : {});
    const { 'hall.taken': taken, 'hall.openDays': openDays } = projectKpis(
      input(asOf, { hall: { current: days(YEAR, asOf, hall), previous: null } }),
    );
    const working = workingDaysBetween('2026-01-01', '2026-12-31');
    expect(taken!.value).toBe(100 * working);
    expect(taken!.basis.calendar).toBe(true);
    expect(openDays!.value).toBe(working);
    // Flat per calendar day it would be 100 × 365 × (observed share): far above.
    expect(taken!.high!).toBeLessThan(100 * (working + 10));
  });

  it('projects a rate from its numerator and denominator, inside [0, 1]', () => {
    const asOf = '2026-04-30';
    const { 'hall.abandonRate': rate } = projectKpis(
      input(asOf, {
        hall: { current: days(YEAR, asOf, (d): Fields => (isWorkingDay(d) ? { taken: 50, abandoned: 5 } : {})), previous: null },
      }),
    );
    expect(rate!.value).toBeCloseTo(0.1, 10);
    expect(rate!.low!).toBeLessThan(0.1);
    expect(rate!.high!).toBeGreaterThan(0.1);
    expect(rate!.low!).toBeGreaterThanOrEqual(0);
  });

  it('follows the previous year’s month-by-month profile', () => {
    const asOf = '2026-06-30';
    const busySecondHalf = (d: string) => ({ count: Number(d.slice(5, 7)) > 6 ? 30 : 10 });
    const current = days(YEAR, asOf, busySecondHalf);
    const flat = projectKpis(input(asOf, { evaluations: { current, previous: null } }))['evaluations.count']!;
    const shaped = projectKpis(input(asOf, { evaluations: { current, previous: days(YEAR - 1, '2025-12-31', busySecondHalf) } }))[
      'evaluations.count'
    ]!;
    expect(flat.value).toBe(10 * 365);
    // Each month's level takes one count more (a month without any is low, not zero): within 0.2 %.
    expect(Math.abs(shaped.value! - (10 * 181 + 30 * 184))).toBeLessThan(0.002 * (10 * 181 + 30 * 184));
    expect(shaped.basis.previousYearProfile).toBe(true);
  });

  it('is the actual figure with a zero-width interval once the year is over, and nothing before it', () => {
    const all = days(YEAR, '2026-12-31', (d) => ({ count: d.endsWith('-01') ? 7 : 1 }));
    const after = projectKpis(input('2027-02-01', { evaluations: { current: all, previous: null } }))['evaluations.count']!;
    expect(after).toMatchObject({ value: 365 - 12 + 84, low: 365 - 12 + 84, high: 365 - 12 + 84 });
    expect(after.basis.method).toBe('actual');
    const before = projectKpis(input('2025-12-31', { evaluations: { current: all, previous: null } }))['evaluations.count']!;
    expect(before).toMatchObject({ value: null, low: null, high: null, basis: { method: 'none', reason: 'before_year' } });
    const none = projectKpis(input('2026-05-01', { evaluations: { current: [], previous: null } }))['evaluations.count']!;
    expect(none.basis.reason).toBe('no_data');
  });

  it('says on_track, at_risk or off_track from where the target lies against the interval', () => {
    expect(statusAgainst(90, 110, { target: 80, direction: '>=' })).toBe('on_track');
    expect(statusAgainst(90, 110, { target: 100, direction: '>=' })).toBe('at_risk');
    expect(statusAgainst(90, 110, { target: 120, direction: '>=' })).toBe('off_track');
    expect(statusAgainst(0.01, 0.02, { target: 0.05, direction: '<=' })).toBe('on_track');
    expect(statusAgainst(0.06, 0.08, { target: 0.05, direction: '<=' })).toBe('off_track');
    const asOf = '2026-06-30';
    const { 'evaluations.count': count } = projectKpis(
      input(
        asOf,
        { evaluations: { current: days(YEAR, asOf, () => ({ count: 20 })), previous: null } },
        { 'evaluations.count': { target: 9000, direction: '>=' } },
      ),
    );
    expect(count).toMatchObject({ target: 9000, status: 'off_track' });
  });
});

describe('the monthly report’s 预计全年 sentence (core/export/projection-section.ts)', () => {
  const basis = { daysObserved: 181, daysLeft: 184, previousYearProfile: true, calendar: false, method: 'pace' as const };
  it('writes a count exactly with its unit, a rate in percent with one decimal, and the status against the target', () => {
    expect(projectionSentence('hotline.signed', { value: 3100, low: 2950, high: 3250, status: 'on_track', target: 3000, basis })).toBe(
      '按当前进度，预计全年签收工单约3100条（80%区间2950–3250条），可完成年度指标值。',
    );
    expect(projectionSentence('hotline.satisfactionRate', { value: 0.9871, low: 0.981, high: 0.9932, status: 'off_track', basis })).toBe(
      '按当前进度，预计全年回访满意度约98.7%（80%区间98.1–99.3%），按当前进度难以完成年度指标值。',
    );
    expect(projectionSentence('hotline.signed', { value: null, low: null, high: null, basis: { ...basis, method: 'none' } })).toBeNull();
    expect(projectionSentence('hotline.signed', { value: 3000, low: 3000, high: 3000, basis: { ...basis, method: 'actual' } })).toBeNull();
  });
});
