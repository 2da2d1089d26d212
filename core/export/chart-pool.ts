import { Worker } from 'node:worker_threads';
import type { ChartOption } from '../../shared/charts/index.ts';
import type { RenderedChart } from './chart-raster.ts';

/**
 * Draws charts on one long-lived worker thread, so a server's event loop (live stream, API) keeps
 * running while resvg rasterises them, and the export's other formats are written meanwhile. ECharts
 * builds each chart's SVG here (options may hold functions, which cannot cross threads); the thread only
 * rasterises SVG strings. It starts with the first export and is reused; while idle it does not keep the
 * process alive.
 */

type Reply = { id: number; pngs?: Uint8Array[]; error?: string };

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (pngs: Uint8Array[]) => void; reject: (err: Error) => void }>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function chartThread(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./chart-worker.ts', import.meta.url));
  w.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref(); // idle: the thread does not keep the process alive
    if (reply.error !== undefined) p.reject(new Error(`chart rendering failed: ${reply.error}`));
    else p.resolve(reply.pngs!);
  });
  w.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
  w.on('exit', (code) => failAll(new Error(`chart thread exited with code ${code}`)));
  return (worker = w);
}

/** PNGs of `options` (same size each): SVG built here, rasterised on the chart thread. */
export async function renderChartsInWorker(
  options: ChartOption[],
  size?: { widthPx: number; heightPx: number; scale: number },
): Promise<RenderedChart[]> {
  if (options.length === 0) return [];
  // ECharts is loaded with the first export, not when the server starts.
  const { CHART_SIZE, renderChartSvg } = await import('./chart-renderer.ts');
  const { widthPx, heightPx, scale } = size ?? CHART_SIZE;
  const svgs = options.map((o) => renderChartSvg(o, widthPx, heightPx));
  const id = nextId++;
  const pngs = await new Promise<Uint8Array[]>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const thread = chartThread();
    thread.ref(); // busy: keep the process alive until the reply
    thread.postMessage({ id, svgs, widthPx, heightPx, scale });
  });
  return pngs.map((png) => ({ png: Buffer.from(png.buffer, png.byteOffset, png.byteLength), widthPx, heightPx }));
}

/** Stops the chart thread (tests, shutdown); the next render starts a new one. */
export async function stopChartThread(): Promise<void> {
  const w = worker;
  worker = null;
  await w?.terminate();
}
