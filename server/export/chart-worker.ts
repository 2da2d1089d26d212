import { parentPort, workerData } from 'node:worker_threads';
import type { ChartOption } from '../../shared/charts/index.ts';
import { renderChartPngs } from './chart-renderer.ts';

/** Worker thread: renders `workerData.options` to PNGs (server/export/chart-pool.ts) and posts them back. */
const { options, widthPx, heightPx, scale } = workerData as { options: ChartOption[]; widthPx: number; heightPx: number; scale: number };
const rendered = renderChartPngs(options, widthPx, heightPx, scale);
parentPort!.postMessage(
  rendered.map((r) => r.png),
  rendered.map((r) => r.png.buffer as ArrayBuffer),
);
