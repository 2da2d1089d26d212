/**
 * Senders as the bureau's systems behave: POST batches to /api/ingest/:feed, retry what API.md says
 * to retry (429, 503, a connection refused) until a 202, and keep count of what was acknowledged.
 */
import { INGEST_TOKEN, sleep } from './harness.ts';

export interface Batch {
  feed: string;
  body: string;
  records: number;
}

export interface SendTally {
  requests: number;
  /** Batches answered 202, and the records in them (accepted + rejected by validation). */
  acknowledgedBatches: number;
  acknowledgedRecords: number;
  acceptedRecords: number;
  rejectedRecords: number;
  /** Answers that asked the sender to come back later, and connections refused. */
  retries: { status503: number; status429: number; network: number };
  /** Anything else: a request the sender gave up on (status and body). */
  failures: string[];
}

export const emptyTally = (): SendTally => ({
  requests: 0,
  acknowledgedBatches: 0,
  acknowledgedRecords: 0,
  acceptedRecords: 0,
  rejectedRecords: 0,
  retries: { status503: 0, status429: 0, network: 0 },
  failures: [],
});

/** A deterministic shuffle (mulberry32), so a scenario's arrival order is reproducible from its seed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Each feed's records `copies` times, shuffled within the feed, cut into batches; batches shuffled across feeds. */
export function makeBatches(feeds: Record<string, object[]>, options: { batchSize: number; copies: number; seed: number }): Batch[] {
  const batches: Batch[] = [];
  for (const [feed, records] of Object.entries(feeds)) {
    const copies = shuffle(Array.from({ length: options.copies }, () => records).flat(), options.seed);
    for (let i = 0; i < copies.length; i += options.batchSize) {
      const slice = copies.slice(i, i + options.batchSize);
      batches.push({ feed, body: JSON.stringify({ events: slice }), records: slice.length });
    }
  }
  return shuffle(batches, options.seed + 1);
}

/** Sends one batch until it is acknowledged; a 503/429 waits its Retry-After (capped at `maxWaitMs`). */
export async function sendBatch(baseUrl: string, batch: Batch, tally: SendTally, maxWaitMs = 1_000, deadlineMs = 600_000): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    tally.requests++;
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/api/ingest/${batch.feed}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: batch.body,
      });
    } catch {
      tally.retries.network++;
      if (Date.now() > giveUpAt) return void tally.failures.push('gave up: connection refused');
      await sleep(200);
      continue;
    }
    if (res.status === 202) {
      const body = (await res.json()) as { accepted: number; rejected: unknown[] };
      tally.acknowledgedBatches++;
      tally.acknowledgedRecords += batch.records;
      tally.acceptedRecords += body.accepted;
      tally.rejectedRecords += body.rejected.length;
      return;
    }
    if (res.status === 503 || res.status === 429) {
      if (res.status === 503) tally.retries.status503++;
      else tally.retries.status429++;
      await res.arrayBuffer();
      if (Date.now() > giveUpAt) return void tally.failures.push(`gave up: ${res.status}`);
      await sleep(Math.min(maxWaitMs, 1_000 * Number(res.headers.get('retry-after') ?? 1)));
      continue;
    }
    tally.failures.push(`${res.status} ${(await res.text()).slice(0, 300)}`);
    return;
  }
}

/**
 * `senders` concurrent senders take batches from one queue; sender `s` posts to `baseUrls[s % n]`.
 * `onBatch` runs after every acknowledged batch (a scenario injects its fault there).
 */
export async function sendAll(
  baseUrls: readonly string[],
  batches: readonly Batch[],
  options: { senders: number; tally?: SendTally; onBatch?: (done: number) => Promise<void> | void },
): Promise<SendTally> {
  const tally = options.tally ?? emptyTally();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: options.senders }, async (_, s) => {
      for (let b = next++; b < batches.length; b = next++) {
        await sendBatch(baseUrls[s % baseUrls.length]!, batches[b]!, tally);
        await options.onBatch?.(++done);
      }
    }),
  );
  return tally;
}
