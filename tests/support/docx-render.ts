import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';

/**
 * A DOCX as a clerk sees it: LibreOffice (`soffice --headless --convert-to pdf`) lays it out, poppler reads the
 * pages back — size per page (pdfinfo), text per page (pdftotext -layout), every word's box (pdftotext -bbox),
 * images per page (pdfimages -list) — and pdftoppm draws PNGs. Needs libreoffice-writer-nogui and poppler-utils
 * (installed by .ci/run).
 */

export interface RenderedPage {
  /** 1-based. */
  number: number;
  widthPt: number;
  heightPt: number;
  text: string;
  /** Every word with its box in points from the top-left corner. */
  words: { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[];
  images: number;
}

export interface RenderedDocx {
  dir: string;
  pdf: string;
  pages: RenderedPage[];
}

export const canRender = () => {
  try {
    execFileSync('sh', ['-c', 'command -v soffice && command -v pdftoppm && command -v pdftotext'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');

/** Renders `docx` to PDF in a fresh directory (with its own LibreOffice profile) and reads every page. */
export function renderDocx(docx: Buffer, name = 'export'): RenderedDocx {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-docx-'));
  const input = join(dir, `${name}.docx`);
  writeFileSync(input, docx);
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, input], {
    stdio: 'ignore',
    timeout: 180_000,
  });
  const pdf = join(dir, `${name}.pdf`);
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '9999', pdf], { encoding: 'utf8' });
  const sizes = [...info.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({
    number: Number(m[1]),
    widthPt: Number(m[2]),
    heightPt: Number(m[3]),
  }));
  const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const pageBlocks = bbox.split('<page ').slice(1);
  const imageList = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((n) => Number.isInteger(n) && n > 0);
  const pages = sizes.map((size, i) => ({
    ...size,
    text: execFileSync('pdftotext', ['-layout', '-f', String(size.number), '-l', String(size.number), pdf, '-'], { encoding: 'utf8' }),
    words: [
      ...(pageBlocks[i] ?? '').matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: decode(m[5]!) })),
    images: imageList.filter((n) => n === size.number).length,
  }));
  return { dir, pdf, pages };
}

/** Draws page `number` of the PDF as a PNG at `dpi`; returns its path. */
export function pagePng(rendered: RenderedDocx, number: number, dpi = 80, out = join(rendered.dir, `page-${number}`)): string {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(number), '-l', String(number), '-singlefile', rendered.pdf, out]);
  return `${out}.png`;
}

/** Every page as PNG (for looking at them), in the render's directory. */
export function allPagesPng(rendered: RenderedDocx, dpi = 50): string[] {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), rendered.pdf, join(rendered.dir, 'all')]);
  return readdirSync(rendered.dir)
    .filter((f) => f.startsWith('all') && f.endsWith('.png'))
    .sort()
    .map((f) => join(rendered.dir, f));
}

/** One file of a DOCX (a ZIP), e.g. `word/document.xml`. */
export function docxEntry(docx: Buffer, fileName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(docx, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== fileName) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
        });
      });
      zip.on('end', () => reject(new Error(`no ${fileName}`)));
      zip.readEntry();
    });
  });
}
