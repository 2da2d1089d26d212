/** What a chart's text alternative is made of: ECharts' merged option (`chart.getOption()`), loosely typed. */
interface MergedOption {
  xAxis?: { type?: string; data?: unknown[] }[];
  yAxis?: { type?: string; data?: unknown[] }[];
  series?: { name?: string; type?: string; data?: unknown[] }[];
}

const SEPARATORS = {
  'zh-CN': { name: '：', item: '，', series: '；', more: '等 {n} 项' },
  en: { name: ': ', item: ', ', series: '; ', more: 'and {n} more' },
};

/** A point's value as text, or null for a gap ('-', null) and for what is not a number. */
function pointValue(point: unknown): string | null {
  const value = typeof point === 'object' && point !== null && !Array.isArray(point) ? (point as { value?: unknown }).value : point;
  const n = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof n === 'number' && Number.isFinite(n) ? String(n) : null;
}

function categoryName(category: unknown): string {
  return typeof category === 'object' && category !== null ? String((category as { value?: unknown }).value ?? '') : String(category);
}

/**
 * The text alternative of a canvas chart (WCAG 1.1.1): per series its name and its points as
 * "category value" (gaps left out, at most `maxPoints` a series, the rest counted), in the UI language.
 */
export function summariseChart(merged: object, locale: 'zh-CN' | 'en', maxPoints = 24): string {
  const option = merged as MergedOption;
  const sep = SEPARATORS[locale];
  const axis = [...(option.xAxis ?? []), ...(option.yAxis ?? [])].find((a) => a.type === 'category' && Array.isArray(a.data));
  const categories = axis?.data ?? [];
  return (option.series ?? [])
    .map((series) => {
      const points = (series.data ?? []).flatMap((point, i) => {
        const value = pointValue(point);
        if (value === null) return [];
        const name = series.type === 'pie' ? categoryName((point as { name?: unknown }).name ?? '') : categoryName(categories[i] ?? '');
        return [name ? `${name} ${value}` : value];
      });
      const shown = points.slice(0, maxPoints).join(sep.item);
      const more = points.length > maxPoints ? `${sep.item}${sep.more.replace('{n}', String(points.length - maxPoints))}` : '';
      return `${series.name ?? ''}${sep.name}${shown || '—'}${more}`;
    })
    .join(sep.series);
}
