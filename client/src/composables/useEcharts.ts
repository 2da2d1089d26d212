import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
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
import { inject, onBeforeUnmount, onMounted, type Ref } from 'vue';
import { SCREEN_SCALE_KEY } from './useScreenScale.ts';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** The option shape of the chart parts registered above. */
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/**
 * An ECharts instance bound to `el`: created on mount, resized with its element, disposed on unmount.
 * `update` merges into the current option (series matched by id), so a chart updated every second keeps
 * its state and animates instead of being rebuilt. Options given before mount are applied at mount.
 */
export function useEcharts(el: Ref<HTMLElement | null>) {
  // Inside a scaled 1920×1080 screen the canvas is drawn at the scaled resolution so it stays crisp.
  const screenScale = inject(SCREEN_SCALE_KEY, null);
  let chart: ECharts | null = null;
  let resizeObserver: ResizeObserver | null = null;
  const pending: ChartOption[] = [];

  function update(option: ChartOption): void {
    if (chart) chart.setOption(option, { notMerge: false, lazyUpdate: true });
    else pending.push(option);
  }

  onMounted(() => {
    const element = el.value;
    if (!element) return;
    const scale = screenScale?.value ?? 1;
    chart = init(element, null, {
      renderer: 'canvas',
      devicePixelRatio: window.devicePixelRatio * Math.max(scale, 1),
    });
    for (const option of pending.splice(0)) update(option);
    resizeObserver = new ResizeObserver(() => chart?.resize());
    resizeObserver.observe(element);
  });

  onBeforeUnmount(() => {
    resizeObserver?.disconnect();
    resizeObserver = null;
    chart?.dispose();
    chart = null;
  });

  return { update };
}
