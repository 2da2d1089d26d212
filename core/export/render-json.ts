import type { ExportModel } from './export-model.ts';

/**
 * The export for machines: the KPI API's figures as served (fractions, numerators, denominators —
 * nothing rounded), the sentences and tables as written, and the chart options.
 */
export function renderJson(model: ExportModel): Buffer {
  const {
    period,
    periodLabel,
    title,
    generatedAt,
    kpis,
    sentences,
    indicators,
    selfAssessment,
    interval,
    appendix,
    series,
    partners,
    charts,
    hotspots,
  } = model;
  return Buffer.from(
    `${JSON.stringify({ format: 'pulse-export/1', title, period, periodLabel, generatedAt, kpis, sentences, indicators, selfAssessment, interval, appendix, series, partners, charts, ...(hotspots && { hotspots: hotspots.hotspots }) }, null, 2)}\n`,
  );
}
