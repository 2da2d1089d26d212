import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createContext, type FeedOutput, type FeedRecord } from './context.ts';
import { crossRegionExpectations, generateCrossRegion } from './cross-region.ts';
import { evaluationExpectations, generateEvaluations } from './evaluations.ts';
import { exportYearFiles } from './export-files.ts';
import { generateHall, hallExpectations } from './hall.ts';
import { generateHotline, hotlineExpectations } from './hotline.ts';
import { CURRENT_YEAR_PROFILE, PREVIOUS_YEAR_PROFILE, generateOnline, onlineExpectations, onlineItems } from './online.ts';
import type { Expectation } from './tally.ts';
import { surgeTickets, type Surge } from './surges.ts';

/**
 * One year of records for the five feeds of FEEDS.md, as the bureau's systems would send them, and what
 * the figures of KPIS.md must then read — counted by the generator itself while it generates.
 *
 * This is an outside system: it speaks only the public contracts and imports nothing from Pulse.
 * Deterministic: the same options always give the same records (seeded mulberry32, no Math.random).
 *
 *   node scripts/simulator/year.ts [--year 2022] [--seed 2022] [--scale 1] [--previous-year] [--out DIR] [--export DIR]
 */

export const FEEDS = ['hotline', 'online', 'hall', 'crossRegion', 'evaluations'] as const;
export type FeedName = (typeof FEEDS)[number];

export type { Expectation, Fraction } from './tally.ts';
export type { FeedRecord } from './context.ts';

export interface YearOptions {
  /** Default 2022, the report's year. */
  year?: number;
  /** Default 2022. */
  seed?: number;
  /** 1 = the 2022 report's magnitudes (default); 0.01 for fast tests. */
  scale?: number;
  /** Also generate the year before's 一网通办 volume rows (38383 at scale 1), for year-on-year figures. */
  previousYear?: boolean;
  /** Each year's own departure from the usual month profile (0 = none, the default; 0.15 ≈ ±10 % a month and a trend): scripts/simulator/context.ts. */
  seasonality?: number;
  /** 未诉先办 surges injected into the hotline tickets (scripts/simulator/surges.ts); the ordinary tickets keep their times and places. */
  hotlineSurges?: readonly Surge[];
}

export interface YearExpected {
  year: number;
  scale: number;
  /** KPI id → what `GET /api/kpis?from=<year>-01-01&to=<year>-12-31` must read. */
  kpis: Record<string, Expectation>;
  /** `YYYY-MM` → KPI id → what the same endpoint must read for that calendar month. */
  monthly: Record<string, Record<string, Expectation>>;
  /** Per feed, the generator's raw counters over the year (milestones by type, sums, open days …). */
  counts: Record<FeedName, Record<string, number>>;
  /** Records generated per feed, this year's and (for online) the year before's together. */
  records: Record<FeedName, number>;
  /** The year before's online rows, when asked for. */
  previousYear?: { year: number; onlineVolume: number; onlineRecords: number };
}

export interface GeneratedYear {
  /** Records per feed, in generation order (time order within a feed, roughly). */
  feeds: Record<FeedName, FeedRecord[]>;
  expected: YearExpected;
}

/** Generates a year of records and the figures they must produce (see YearExpected). */
export function generateYear(options: YearOptions = {}): GeneratedYear {
  const { year = 2022, seed = 2022, scale = 1, previousYear = false, seasonality = 0 } = options;
  const ctx = createContext(year, seed, scale, seasonality);
  const items = onlineItems(seed);
  const outputs: Record<FeedName, FeedOutput> = {
    hotline: generateHotline(
      ctx,
      (options.hotlineSurges ?? []).flatMap((s) => surgeTickets(ctx.rng(`hotline.surge.${s.startMs}`), s)),
    ),
    online: generateOnline(ctx, CURRENT_YEAR_PROFILE, items),
    hall: generateHall(ctx),
    crossRegion: generateCrossRegion(ctx),
    evaluations: generateEvaluations(ctx),
  };
  const before = previousYear ? generateOnline(createContext(year - 1, seed, scale), PREVIOUS_YEAR_PROFILE, items) : undefined;

  const expectationsFor = (month?: number): Record<string, Expectation> => ({
    ...hotlineExpectations(outputs.hotline.tally.reader(month)),
    ...onlineExpectations(outputs.online.tally.reader(month), before?.tally.reader(month)),
    ...hallExpectations(outputs.hall.tally.reader(month)),
    ...crossRegionExpectations(outputs.crossRegion.tally.reader(month)),
    ...evaluationExpectations(outputs.evaluations.tally.reader(month)),
  });
  const kpis = { ...expectationsFor(), ...Object.assign({}, ...FEEDS.map((f) => outputs[f].yearOnly ?? {})) };
  const monthly = Object.fromEntries(
    Array.from({ length: 12 }, (_, m) => [`${year}-${String(m + 1).padStart(2, '0')}`, expectationsFor(m + 1)]),
  );

  const feeds = Object.fromEntries(FEEDS.map((f) => [f, outputs[f].records])) as Record<FeedName, FeedRecord[]>;
  if (before) feeds.online = [...before.records, ...feeds.online];
  return {
    feeds,
    expected: {
      year,
      scale,
      kpis,
      monthly,
      counts: Object.fromEntries(FEEDS.map((f) => [f, outputs[f].tally.totals()])) as Record<FeedName, Record<string, number>>,
      records: Object.fromEntries(FEEDS.map((f) => [f, feeds[f].length])) as Record<FeedName, number>,
      ...(before && { previousYear: { year: year - 1, onlineVolume: before.tally.get('volume'), onlineRecords: before.records.length } }),
    },
  };
}

/** Only the year before's 一网通办 rows (38383 at scale 1), for a year-on-year test on its own. */
export function generatePreviousYearOnline(options: Omit<YearOptions, 'previousYear'> = {}): { records: FeedRecord[]; volume: number } {
  const { year = 2022, seed = 2022, scale = 1 } = options;
  const out = generateOnline(createContext(year - 1, seed, scale), PREVIOUS_YEAR_PROFILE, onlineItems(seed));
  return { records: out.records, volume: out.tally.get('volume') };
}

const USAGE = `Generates a year of records for the five feeds of FEEDS.md and prints its counts.

usage: npm run simulate -- [options]

  --year YYYY        the year (default 2022)
  --seed N           the seed (default 2022): the same seed, year and scale give the same records
  --scale X          1 = the 2022 report's magnitudes (default 1); 0.01 for quick tries
  --previous-year    also the year before's 一网通办 rows (for 同比 figures)
  --out DIR          write one NDJSON file per feed and expected.json to DIR
  --export DIR       write the bureau's export files to DIR:
                       12345-tickets-YYYY.xlsx / .csv (ticket rows; the CSV in GB18030, as Excel on Chinese Windows saves it)
                       hall-queue-YYYY.csv (UTF-8 with BOM) / .xlsx (the hall's queue log)
                       online-volume-YYYY-MM.xlsx (the 一网通办 volume sheet of each month)
                     a file beyond 1,000,000 rows (what Pulse imports at once) continues in -part2 …
  --help             this text
`;

async function main(argv: string[]): Promise<void> {
  // The command line as every Pulse CLI reads it (core/platform/cli.ts parseCli), without importing Pulse:
  // --help prints the usage; a bad argument is one line on stderr and exit code 2.
  const usageError = (problem: string): never => {
    process.stderr.write(`npm run simulate: ${problem} (see npm run simulate -- --help)\n`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        year: { type: 'string' },
        seed: { type: 'string' },
        scale: { type: 'string' },
        'previous-year': { type: 'boolean' },
        out: { type: 'string' },
        export: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return usageError((err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, ''));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const number = (name: 'year' | 'seed' | 'scale', fallback: number, ok: (n: number) => boolean, rule: string) => {
    const n = Number(values[name] ?? fallback);
    if (!Number.isFinite(n) || !ok(n)) usageError(`--${name} ${rule} (got '${values[name]}')`);
    return n;
  };
  const year = number('year', 2022, (n) => Number.isInteger(n) && n >= 2000 && n <= 2100, 'must be a year YYYY');
  const seed = number('seed', 2022, (n) => Number.isInteger(n) && n >= 0, 'must be a whole number ≥ 0');
  const scale = number('scale', 1, (n) => n > 0 && n <= 10, 'must be a number above 0 and at most 10');
  const arg = (name: 'out' | 'export') => values[name];
  const startedAt = performance.now();
  const { feeds, expected } = generateYear({ year, seed, scale, previousYear: values['previous-year'] === true });
  const elapsedMs = Math.round(performance.now() - startedAt);
  const total = FEEDS.reduce((sum, f) => sum + expected.records[f], 0);
  console.log(`year ${expected.year}, scale ${expected.scale}: ${total} records in ${elapsedMs} ms`);
  for (const f of FEEDS) console.log(`  ${f.padEnd(12)} ${String(expected.records[f]).padStart(8)}`);
  const show = (id: string) => {
    const e = expected.kpis[id];
    return typeof e === 'number' ? String(e) : e ? `${e.numerator}/${e.denominator} = ${(e.numerator / e.denominator).toFixed(4)}` : '—';
  };
  for (const id of [
    'hotline.signed',
    'hotline.completed',
    'hotline.visited',
    'hotline.resolutionRate',
    'hotline.satisfactionRate',
    'online.volume',
    'online.yoyMultiple',
    'hall.servedMatters',
    'hall.dailyAvgVisitors',
    'hall.openDays',
    'crossRegion.received',
    'evaluations.count',
  ]) {
    console.log(`  ${id.padEnd(28)} ${show(id)}`);
  }
  const out = arg('out');
  if (out) {
    mkdirSync(out, { recursive: true });
    for (const f of FEEDS) writeFileSync(join(out, `${f}.ndjson`), feeds[f].map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(out, 'expected.json'), JSON.stringify(expected, null, 2));
    console.log(`wrote ${FEEDS.map((f) => `${f}.ndjson`).join(', ')} and expected.json to ${out}`);
  }
  const exportDir = arg('export');
  if (exportDir) {
    const exportStartedAt = performance.now();
    const files = await exportYearFiles(feeds, { outDir: exportDir, year: expected.year });
    for (const file of files) console.log(`  ${file.path}  ${file.rows} rows`);
    console.log(`wrote ${files.length} export files in ${Math.round(performance.now() - exportStartedAt)} ms`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
