import { parentPort } from 'node:worker_threads';
import { rasterizeCharts } from './chart-raster.ts';

/** The chart thread (core/export/chart-pool.ts): draws each request's SVG charts to PNGs with resvg and posts them back. */
interface Request {
  id: number;
  svgs: string[];
  widthPx: number;
  heightPx: number;
  scale: number;
}

parentPort!.on('message', (req: Request) => {
  try {
    const pngs = rasterizeCharts(req.svgs, req.widthPx, req.heightPx, req.scale).map((r) => r.png);
    // Copied, not transferred: resvg's buffers are native memory, which Node 26 refuses to transfer.
    parentPort!.postMessage({ id: req.id, pngs });
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
