import { BATCH_RECORDS, type Batch } from './year-batches.ts';
import type { GeneratedYear } from '../scripts/simulator/year.ts';

/** Records of the 2022 report's hall year (issue 19): a hall that exports only its 办结 rows. */
export const ONE_PER_ENTITY_RECORDS = 535_750;

const dayOf = (at: string) => at.slice(0, 10);

/**
 * The one-record-per-entity mix: a hall whose queue system exports only 办结 (served) rows, each its own
 * visit, `total` of them. Built from the simulator's year: its served rows in turn (times, halls,
 * windows), each carrying the service its visit was taken for, and a queue number of its own, so no two
 * rows share a visit (the year's served rows are used again, with new numbers, until `total` is reached).
 */
export function onePerEntityBatches(generated: GeneratedYear, total = ONE_PER_ENTITY_RECORDS): { batches: Batch[]; total: number } {
  type Row = { queueId: string; type: string; at: string; hall?: string; window?: string; service?: string };
  const hall = generated.feeds.hall as Row[];
  const serviceOf = new Map<string, string>();
  for (const r of hall) {
    if ((r.type === 'taken' || r.type === '取号') && r.service) serviceOf.set(`${r.hall ?? ''}|${dayOf(r.at)}|${r.queueId}`, r.service);
  }
  const served = hall.filter((r) => r.type === 'served' || r.type === '办结');
  if (served.length === 0) throw new Error('the simulated year has no served hall rows');
  const rows: Row[] = [];
  for (let k = 0; k < total; k++) {
    const r = served[k % served.length]!;
    const row: Row = { queueId: `S${k}`, type: 'served', at: r.at };
    if (r.hall) row.hall = r.hall;
    if (r.window) row.window = r.window;
    const service = serviceOf.get(`${r.hall ?? ''}|${dayOf(r.at)}|${r.queueId}`);
    if (service) row.service = service;
    rows.push(row);
  }
  const batches: Batch[] = [];
  for (let i = 0; i < rows.length; i += BATCH_RECORDS) {
    const slice = rows.slice(i, i + BATCH_RECORDS);
    batches.push({ feed: 'hall', body: JSON.stringify({ events: slice }), count: slice.length });
  }
  return { batches, total: rows.length };
}
