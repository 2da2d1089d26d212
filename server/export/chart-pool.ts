import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChartOption } from '../../shared/charts/index.ts';
import type { RenderedChart } from './chart-renderer.ts';

/**
 * Renders charts in worker threads, split over the machine's cores, so the export's other formats are
 * written meanwhile. resvg spends about 25 ms per text element with the CJK fonts (it reads the font for
 * each), so a chart costs 0.5–1 s of CPU: worth taking off the event loop of a server.
 */
export async function renderChartsInWorkers(options: ChartOption[], widthPx = 720, heightPx = 360, scale = 2): Promise<RenderedChart[]> {
  if (options.length === 0) return [];
  const threads = Math.max(1, Math.min(options.length, availableParallelism(), 2));
  const groups: number[][] = Array.from({ length: threads }, () => []);
  options.forEach((_, i) => groups[i % threads]!.push(i));
  const out: RenderedChart[] = new Array(options.length);
  await Promise.all(
    groups.map(
      (indexes) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('./chart-worker.mjs', import.meta.url), {
            workerData: { options: indexes.map((i) => options[i]), widthPx, heightPx, scale },
          });
          worker.once('message', (pngs: Uint8Array[]) => {
            pngs.forEach((png, k) => (out[indexes[k]!] = { png: Buffer.from(png.buffer, png.byteOffset, png.byteLength), widthPx, heightPx }));
            resolve();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chart worker exited with code ${code}`))));
        }),
    ),
  );
  return out;
}
