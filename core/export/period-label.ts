import { addDays, type LocalDay } from '../../shared/time.ts';

/** A period of local days, both ends included. */
export interface Period {
  from: LocalDay;
  to: LocalDay;
}

const lastDayOfMonth = (day: LocalDay): LocalDay => addDays(`${addMonth(day.slice(0, 7))}-01`, -1);
const addMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const dayZh = (day: LocalDay) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** What kind of period it is: a calendar year, a calendar month, or any other range. */
export function periodKind(p: Period): 'year' | 'month' | 'range' {
  if (p.from.endsWith('-01-01') && p.to === `${p.from.slice(0, 4)}-12-31`) return 'year';
  if (p.from.endsWith('-01') && p.to === lastDayOfMonth(p.from)) return 'month';
  return 'range';
}

/** The period as the report names it: `2022年`, `2022年3月`, or `2022年1月1日至2022年6月30日`. */
export function periodLabel(p: Period): string {
  const kind = periodKind(p);
  if (kind === 'year') return `${Number(p.from.slice(0, 4))}年`;
  if (kind === 'month') return `${Number(p.from.slice(0, 4))}年${Number(p.from.slice(5, 7))}月`;
  return `${dayZh(p.from)}至${dayZh(p.to)}`;
}

/** The same period a year earlier as the report says it: `去年` for a year, `去年同期` otherwise. */
export function previousPeriodLabel(p: Period): string {
  return periodKind(p) === 'year' ? '去年' : '去年同期';
}

/** A period as written in file names: `2022`, `2022-03`, or `2022-01-01_2022-06-30`. */
export function periodSlug(p: Period): string {
  const kind = periodKind(p);
  if (kind === 'year') return p.from.slice(0, 4);
  if (kind === 'month') return p.from.slice(0, 7);
  return `${p.from}_${p.to}`;
}
