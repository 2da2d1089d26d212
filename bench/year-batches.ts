import type { FeedName } from '../shared/feeds/feed.ts';
import { generateYear, type GeneratedYear } from '../scripts/simulator/year.ts';

export const BENCH_YEAR = 2022;
/** Records per ingest request (API.md allows up to 10,000). */
export const BATCH_RECORDS = 5_000;

/** One ingest request body, ready to send. */
export interface Batch {
  feed: FeedName;
  body: string;
  count: number;
}

export interface BenchYear {
  generated: GeneratedYear;
  batches: Batch[];
  total: number;
  /** `hotline 14638, online 124952, …` */
  mix: string;
}

/**
 * The simulator's year at `scale` (1: the 2022 report's magnitude, 1.36 million records; 0.4: about the
 * issue's 550,000), cut into request bodies of 5,000 records, feed after feed.
 */
export function benchYear(scale: number): BenchYear {
  const generated = generateYear({ year: BENCH_YEAR, seed: 2022, scale, previousYear: true });
  const batches: Batch[] = [];
  let total = 0;
  for (const [feed, records] of Object.entries(generated.feeds) as [FeedName, object[]][]) {
    for (let i = 0; i < records.length; i += BATCH_RECORDS) {
      const slice = records.slice(i, i + BATCH_RECORDS);
      batches.push({ feed, body: JSON.stringify({ events: slice }), count: slice.length });
      total += slice.length;
    }
  }
  const mix = Object.entries(generated.feeds)
    .map(([f, r]) => `${f} ${r.length}`)
    .join(', ');
  return { generated, batches, total, mix };
}

/** A sample of about `count` records keeping the year's feed mix (the first records of each feed). */
export function sampleOf(year: BenchYear, count: number): { feed: FeedName; record: object }[] {
  const sample: { feed: FeedName; record: object }[] = [];
  for (const [feed, records] of Object.entries(year.generated.feeds) as [FeedName, object[]][]) {
    const share = Math.round((count * records.length) / year.total);
    for (const record of records.slice(0, share)) sample.push({ feed, record });
  }
  return sample;
}
