import { Resvg } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePngRows } from './png-encode.ts';

/**
 * The chart font: the GB 2312 subset of Noto Sans CJK SC shipped beside this file (server/export/fonts,
 * OFL). resvg's cost per text element grows with the font it reads — about 3 ms with the 3 MB subset
 * against 25–45 ms with the system's 19 MB collection — and a chart has 30 or so. CHART_FONT_FILE
 * points at another font (e.g. /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc for characters
 * outside GB 2312).
 */
const CHART_FONT_FILE = process.env.CHART_FONT_FILE ?? fileURLToPath(new URL('./fonts/NotoSansCJKsc-GB2312-Regular.otf', import.meta.url));
/** The family charts are drawn in: a CJK sans serif, as the console's charts use. */
export const CHART_FONT_FAMILY = 'Noto Sans CJK SC';

/** A chart drawn as a picture for a document: PNG bytes (drawn at `scale` ×) and its size in CSS pixels (96 dpi). */
export interface RenderedChart {
  png: Buffer;
  widthPx: number;
  heightPx: number;
}

/**
 * PNGs of SVG charts of one size (widthPx × heightPx), drawn at `scale` × in the CJK font. The charts are
 * stacked into one SVG and drawn by one resvg render (loading the font is a good part of a render's
 * cost), then cut into one PNG each.
 */
export function rasterizeCharts(svgs: string[], widthPx: number, heightPx: number, scale: number): RenderedChart[] {
  if (svgs.length === 0) return [];
  const inner = svgs.map((svg, i) => svg.replace('<svg ', `<svg y="${i * heightPx}" `));
  const stacked = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx * svgs.length}">${inner.join('')}</svg>`;
  const hasFont = existsSync(CHART_FONT_FILE);
  const image = new Resvg(stacked, {
    fitTo: { mode: 'width', value: widthPx * scale },
    font: { fontFiles: hasFont ? [CHART_FONT_FILE] : [], loadSystemFonts: !hasFont, defaultFontFamily: CHART_FONT_FAMILY },
    background: '#ffffff',
  }).render();
  const rows = heightPx * scale;
  return svgs.map((_, i) => ({ png: encodePngRows(image.pixels, image.width, i * rows, rows), widthPx, heightPx }));
}
