import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Summary {
  min: number;
  median: number;
  p95: number;
  max: number;
}

/** min / median / p95 / max of measured values. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { min: sorted[0]!, median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

const RESULTS = new URL('./RESULTS.md', import.meta.url);
const TITLE = '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n';

/** The machine in one line: cores × model, memory, Node. */
export function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Replaces (or inserts) the block `<!-- name -->…<!-- /name -->` of bench/RESULTS.md; `first` puts a new block right under the title. */
function writeBlock(name: string, block: string, first = false): void {
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : TITLE;
  const pattern = new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- /${name} -->\\n`);
  if (pattern.test(text))
    return writeFileSync(
      RESULTS,
      text.replace(pattern, () => block),
    );
  if (!first) return writeFileSync(RESULTS, `${text}\n${block}`);
  const at = text.indexOf('\n<!--');
  writeFileSync(RESULTS, at < 0 ? `${text}\n${block}` : `${text.slice(0, at)}\n${block}${text.slice(at)}`);
}

/** Replaces (or appends) one section of bench/RESULTS.md, stamped with the machine and date. */
export function writeSection(name: string, body: string): void {
  writeBlock(name, `<!-- ${name} -->\n## ${name}\n\n${new Date().toISOString()} · ${machineLine()}\n\n${body}\n<!-- /${name} -->\n`);
}

/** The "last run" block at the top of bench/RESULTS.md: machine, versions, date, parameters of the suite. */
export function writeRunHeader(body: string): void {
  writeBlock('run', `<!-- run -->\n## Last run of the suite\n\n${body}\n<!-- /run -->\n`, true);
}

/** A figure in the report's way: thousands grouped with commas, `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A row of repeated measurements: what, unit, and its values (one per run). */
export interface MeasuredRow {
  label: string;
  unit: string;
  values: number[];
  digits?: number;
  /** Baseline comparisons, written `1.8× naive`, from the medians. */
  ratios?: { to: string; ratio: number }[];
}

/** A Markdown table of rows: runs, min, median, max, and each row's ratios to its baselines. */
export function table(rows: MeasuredRow[]): string {
  const lines = ['| figure | unit | runs | min | median | max | ratio to baseline (medians) |', '|---|---|---:|---:|---:|---:|---|'];
  for (const row of rows) {
    const s = summarize(row.values);
    const d = row.digits ?? 0;
    const ratios = (row.ratios ?? []).map((r) => `${fmt(r.ratio, r.ratio < 10 ? 2 : 1)}× ${r.to}`).join('; ') || '—';
    lines.push(
      `| ${row.label} | ${row.unit} | ${row.values.length} | ${fmt(s.min, d)} | ${fmt(s.median, d)} | ${fmt(s.max, d)} | ${ratios} |`,
    );
  }
  return lines.join('\n');
}

/** Median of measured values. */
export const median = (values: number[]): number => summarize(values).median;
