import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { inject, onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { currentLocale } from '../i18n.ts';
import { summariseChart } from './chart-summary.ts';
import { SCREEN_SCALE_KEY } from './useScreenScale.ts';

use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** The option shape of the chart parts registered above. */
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/**
 * An ECharts instance bound to `el`: created on mount, resized with its element, disposed on unmount.
 * `update` merges into the current option (series matched by id), so a chart updated every second keeps
 * its state and animates instead of being rebuilt. Options given before mount are applied at mount.
 * Inside a scaled wall screen the canvas is drawn at device pixels × screen scale, so it stays crisp on
 * HiDPI and 4K screens; only a change of that ratio (the window resized) rebuilds the instance.
 * With `title`, the element is an image to assistive technology (`role="img"`) whose name is the title
 * and the chart's figures in words (`summariseChart`), kept current with every update.
 */
export function useEcharts(el: Ref<HTMLElement | null>, title?: () => string) {
  const screenScale = inject(SCREEN_SCALE_KEY, null);
  let chart: ECharts | null = null;
  let chartPixelRatio = 0;
  let resizeObserver: ResizeObserver | null = null;
  const pending: ChartOption[] = [];

  const pixelRatio = () => window.devicePixelRatio * Math.max(screenScale?.value ?? 1, 1);

  let describing = false;
  /** The text alternative, once per frame however many updates came in it. */
  function describe(): void {
    if (!title || describing) return;
    describing = true;
    requestAnimationFrame(() => {
      describing = false;
      const element = el.value;
      if (!chart || !element) return;
      const locale = currentLocale();
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', `${title()}${locale === 'en' ? '. ' : '。'}${summariseChart(chart.getOption(), locale)}`);
    });
  }

  function update(option: ChartOption): void {
    if (chart) {
      chart.setOption(option, { notMerge: false, lazyUpdate: true });
      describe();
    } else pending.push(option);
  }

  function create(element: HTMLElement, carried: ChartOption[]): void {
    chartPixelRatio = pixelRatio();
    chart = init(element, null, { renderer: 'canvas', devicePixelRatio: chartPixelRatio });
    for (const option of carried) update(option);
  }

  onMounted(() => {
    const element = el.value;
    if (!element) return;
    create(element, pending.splice(0));
    resizeObserver = new ResizeObserver(() => chart?.resize());
    resizeObserver.observe(element);
  });

  if (screenScale) {
    watch(screenScale, () => {
      const element = el.value;
      if (!chart || !element || Math.abs(pixelRatio() - chartPixelRatio) < 0.01) return;
      const current = chart.getOption() as ChartOption;
      chart.dispose();
      create(element, [current]);
    });
  }

  onBeforeUnmount(() => {
    resizeObserver?.disconnect();
    resizeObserver = null;
    chart?.dispose();
    chart = null;
  });

  return { update };
}
