import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartOption } from '../../shared/charts/index.ts';
import { CHART_FONT_FAMILY, rasterizeCharts, type RenderedChart } from './chart-raster.ts';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type { RenderedChart } from './chart-raster.ts';

/** The default size of an export's charts, in CSS pixels, and the resolution they are drawn at. */
export const CHART_SIZE = { widthPx: 720, heightPx: 360, scale: 2 };

/** An ECharts option (shared/charts, the same the console draws) as an SVG string, by ECharts' server-side rendering. */
export function renderChartSvg(option: ChartOption, widthPx = CHART_SIZE.widthPx, heightPx = CHART_SIZE.heightPx): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: widthPx, height: heightPx });
  try {
    chart.setOption({
      ...option,
      animation: false,
      textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 13 },
      backgroundColor: '#ffffff',
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** PNGs of the charts, drawn in this thread (the CLI; a server uses chart-pool.ts). */
export function renderChartPngs(options: ChartOption[], size = CHART_SIZE): RenderedChart[] {
  return rasterizeCharts(
    options.map((o) => renderChartSvg(o, size.widthPx, size.heightPx)),
    size.widthPx,
    size.heightPx,
    size.scale,
  );
}
