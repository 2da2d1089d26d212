import type { KpiDefinition, KpiValue } from '@shared/kpis.ts';
import { NO_VALUE, isPercent } from '../../kpi-format.ts';
import type { AppLocale } from '../../i18n.ts';

/**
 * Figures as the console writes them, next to Word and Excel: counts with separators and their unit
 * (1,234 条), rates as percent to two decimals (87.02%), means and scores to one decimal; `—` where
 * a figure cannot be computed.
 */

const DECIMALS: Partial<Record<KpiDefinition['kind'], number>> = { mean: 1, score: 1, ratio: 2 };
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: AppLocale, decimals: number): Intl.NumberFormat {
  const id = `${locale}|${decimals}`;
  let format = numberFormats.get(id);
  if (!format)
    numberFormats.set(
      id,
      (format = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: decimals })),
    );
  return format;
}

/** The number alone: `1,234`, `87.02%`, `12.5`; `—` for null. */
export function formatNumber(def: KpiDefinition, value: number | null | undefined, locale: AppLocale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  if (isPercent(def)) return `${numberFormat(locale, 2).format(value * 100)}%`;
  return numberFormat(locale, DECIMALS[def.kind] ?? 0).format(value);
}

/** The unit after a figure: 条, 件, 人次, 分钟 … in Chinese; in English the unit of means only. */
export function unitOf(def: KpiDefinition, locale: AppLocale): string {
  if (isPercent(def)) return '';
  if (locale === 'en') return def.kind === 'mean' ? 'min' : '';
  return def.unitZh;
}

/** Figure with unit: `1,234 条`, `87.02%`. */
export function formatFigure(def: KpiDefinition, value: KpiValue | number | null | undefined, locale: AppLocale): string {
  const n = typeof value === 'object' && value !== null ? value.value : value;
  const text = formatNumber(def, n, locale);
  const unit = unitOf(def, locale);
  return text === NO_VALUE || !unit ? text : `${text} ${unit}`;
}

/**
 * A change against an earlier figure (环比 / 同比): for rates the difference in percentage points, for
 * the rest the relative change; null when either side is missing or the earlier one is 0 (no base).
 */
export function change(
  def: KpiDefinition,
  now: number | null | undefined,
  before: number | null | undefined,
): { kind: 'points' | 'relative'; value: number } | null {
  if (now === null || now === undefined || before === null || before === undefined) return null;
  if (isPercent(def)) return { kind: 'points', value: (now - before) * 100 };
  if (before === 0) return null;
  return { kind: 'relative', value: now / before - 1 };
}

/** `+1.25个百分点` / `+1.25 pp`, `−3.4%`; `—` for no change computable. */
export function formatChange(c: ReturnType<typeof change>, locale: AppLocale): string {
  if (!c) return NO_VALUE;
  const n = c.kind === 'points' ? c.value : c.value * 100;
  const sign = n > 0 ? '+' : n < 0 ? '−' : '';
  const body = numberFormat(locale, c.kind === 'points' ? 2 : 1).format(Math.abs(n));
  if (c.kind === 'points') return locale === 'en' ? `${sign}${body} pp` : `${sign}${body}个百分点`;
  return `${sign}${body}%`;
}

const longDates = new Map<string, Intl.DateTimeFormat>();

/** A local day as the bureau writes it: 2022年3月4日 (zh-CN) or 4 Mar 2022. */
export function formatDay(day: string, locale: AppLocale): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (locale !== 'en') return `${y}年${m}月${d}日`;
  let format = longDates.get(locale);
  if (!format)
    longDates.set(
      locale,
      (format = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' })),
    );
  return format.format(new Date(Date.UTC(y, m - 1, d)));
}

/** An ISO instant in the report zone: 2022-03-04 09:15 (both locales; the way the bureau's systems write times). */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return NO_VALUE;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
