import { Resvg } from '@resvg/resvg-js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartOption } from '../../shared/charts/index.ts';
import { encodePngRows } from './png-encode.ts';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** Where Debian's fonts-noto-cjk puts its fonts; CHART_FONT_DIR overrides it. */
const FONT_DIRS = [process.env.CHART_FONT_DIR, '/usr/share/fonts/opentype/noto', '/usr/share/fonts/opentype/noto-cjk', '/usr/share/fonts/noto-cjk'].filter(
  (d): d is string => Boolean(d),
);
/** The family charts are drawn in: a CJK sans serif, as the console's charts use. */
export const CHART_FONT_FAMILY = 'Noto Sans CJK SC';

let fontFiles: string[] | null = null;
/** The CJK font file found on this machine (empty: resvg uses the system's fonts, Chinese may be missing). */
function cjkFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  fontFiles = [];
  for (const dir of FONT_DIRS) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (/^NotoSansCJK-Regular\.(ttc|otf)$/.test(f)) fontFiles.push(join(dir, f));
    if (fontFiles.length > 0) break;
  }
  return fontFiles;
}

/** A chart drawn as a picture for a document: PNG bytes (drawn at `scale` ×) and its size in CSS pixels (96 dpi). */
export interface RenderedChart {
  png: Buffer;
  widthPx: number;
  heightPx: number;
}

/** An ECharts option (shared/charts, the same the console draws) as an SVG string, by ECharts' server-side rendering. */
export function renderChartSvg(option: ChartOption, widthPx: number, heightPx: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: widthPx, height: heightPx });
  try {
    chart.setOption({ ...option, animation: false, textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 13 }, backgroundColor: '#ffffff' });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * PNGs of several charts of one size, in the CJK font. The charts are stacked into one SVG and drawn by
 * one resvg render (its font loading is most of the cost), then cut into one PNG each.
 */
export function renderChartPngs(options: ChartOption[], widthPx = 720, heightPx = 360, scale = 2): RenderedChart[] {
  if (options.length === 0) return [];
  const inner = options.map((o, i) => renderChartSvg(o, widthPx, heightPx).replace('<svg ', `<svg y="${i * heightPx}" `));
  const stacked = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx * options.length}">${inner.join('')}</svg>`;
  const files = cjkFontFiles();
  const image = new Resvg(stacked, {
    fitTo: { mode: 'width', value: widthPx * scale },
    font: { fontFiles: files, loadSystemFonts: files.length === 0, defaultFontFamily: CHART_FONT_FAMILY },
    background: '#ffffff',
  }).render();
  const rows = heightPx * scale;
  return options.map((_, i) => ({ png: encodePngRows(image.pixels, image.width, i * rows, rows), widthPx, heightPx }));
}
