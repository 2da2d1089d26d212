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

/** Replaces (or appends) one section of bench/RESULTS.md, stamped with the machine and date. */
export function writeSection(name: string, body: string): void {
  const header = '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n';
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : header;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = `<!-- ${name} -->\n## ${name}\n\n${new Date().toISOString()} · ${machine}\n\n${body}\n<!-- /${name} -->\n`;
  const pattern = new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- /${name} -->\\n`);
  writeFileSync(RESULTS, pattern.test(text) ? text.replace(pattern, section) : `${text}\n${section}`);
}
