import type { LiveGroups } from '../../stores/live.ts';

/** One bar of a ranking: a dimension value and its figure. */
export interface RankItem {
  name: string;
  value: number;
}

/** One row of a bar list: a label, the figure the bar is drawn from, and optional text beside it. */
export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** Shown at the right of the bar; the value otherwise. */
  text?: string;
}

/** The figure of `kpiId` for one value of a dimension in today's groups; null when absent or not computable. */
export function groupFigure(groups: LiveGroups, dimension: string, value: string, kpiId: string): number | null {
  const figure = groups[dimension]?.[value]?.[kpiId]?.value;
  return typeof figure === 'number' && Number.isFinite(figure) ? figure : null;
}

/**
 * The values of `dimension` ranked by `kpiId`, largest first (ties by name), the first `limit` of them;
 * values without the figure or with 0 are left out (nothing happened there today).
 */
export function rankGroup(groups: LiveGroups, dimension: string, kpiId: string, limit: number): RankItem[] {
  const items: RankItem[] = [];
  for (const name of Object.keys(groups[dimension] ?? {})) {
    const value = groupFigure(groups, dimension, name, kpiId);
    if (value !== null && value > 0) items.push({ name, value });
  }
  items.sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'zh-CN'));
  return items.slice(0, limit);
}
