import type { FeedRecord } from './context.ts';
import { IngestRefusedError, postBatch, type IngestAnswer, type RetryInfo } from './ingest-client.ts';
import { FEEDS, type FeedName } from './year.ts';

/** Sends one feed's batch somewhere and answers as Pulse's ingest does (POST by default). */
export type BatchSender = (batch: {
  feed: FeedName;
  events: FeedRecord[];
  signal: AbortSignal;
  onRetry: (info: RetryInfo) => void;
}) => Promise<IngestAnswer>;

export interface BatchStats {
  /** Records sent and answered 202. */
  sent: number;
  accepted: number;
  /** Records Pulse rejected, and those of batches it refused whole. */
  rejected: number;
  /** Requests repeated after 429/503, a 5xx or a network error. */
  retries: number;
}

interface FeedQueue {
  buffer: FeedRecord[];
  inFlight: FeedRecord[] | null;
  sending: Promise<void> | null;
}

/**
 * Per-feed buffers of the live stream and their sending: at most one request per feed in flight,
 * batches of at most `maxBatch`, retries left to the sender (429/503 after Retry-After, network
 * errors with backoff). A batch whose sending is aborted goes back to its buffer, so a checkpoint
 * of the stream still holds it.
 */
export class LiveBatcher {
  readonly stats: BatchStats = { sent: 0, accepted: 0, rejected: 0, retries: 0 };
  private readonly queues = Object.fromEntries(
    FEEDS.map((f): [FeedName, FeedQueue] => [f, { buffer: [], inFlight: null, sending: null }]),
  ) as Record<FeedName, FeedQueue>;

  private readonly options: { baseUrl: string; ingestToken: string; sender?: BatchSender; maxBatch: number };
  private readonly signal: AbortSignal;
  private readonly report: (err: unknown) => void;

  constructor(
    options: { baseUrl: string; ingestToken: string; sender?: BatchSender; maxBatch: number },
    signal: AbortSignal,
    report: (err: unknown) => void,
  ) {
    this.options = options;
    this.signal = signal;
    this.report = report;
  }

  push(feed: FeedName, record: FeedRecord): void {
    this.queues[feed].buffer.push(record);
  }

  /** Starts a request for every feed that has records and none in flight. */
  flush(): void {
    for (const feed of FEEDS) {
      const q = this.queues[feed];
      if (q.sending || q.buffer.length === 0) continue;
      const batch = q.buffer.splice(0, this.options.maxBatch);
      q.inFlight = batch;
      q.sending = this.send(feed, batch).finally(() => {
        q.inFlight = null;
        q.sending = null;
      });
    }
  }

  /** Requests in flight. */
  sending(): Promise<void>[] {
    return FEEDS.map((f) => this.queues[f].sending).filter((p): p is Promise<void> => p !== null);
  }

  /** Records not yet answered: in flight first, then buffered, per feed. */
  unsent(): { feed: FeedName; record: FeedRecord }[] {
    return FEEDS.flatMap((feed) =>
      [...(this.queues[feed].inFlight ?? []), ...this.queues[feed].buffer].map((record) => ({ feed, record })),
    );
  }

  private async send(feed: FeedName, batch: FeedRecord[]): Promise<void> {
    try {
      const onRetry = (info: RetryInfo) => {
        this.stats.retries += 1;
        if (info.error) this.report(info.error);
      };
      const { sender } = this.options;
      const answer = sender
        ? await sender({ feed, events: batch, signal: this.signal, onRetry })
        : await postBatch({
            baseUrl: this.options.baseUrl,
            ingestToken: this.options.ingestToken,
            feed,
            events: batch,
            signal: this.signal,
            onRetry,
          });
      this.stats.sent += batch.length;
      this.stats.accepted += answer.accepted;
      this.stats.rejected += answer.rejected.length;
      if (answer.rejected.length > 0) {
        const first = answer.rejected[0]!;
        this.report(
          new Error(
            `${feed}: ${answer.rejected.length} records rejected, e.g. ${JSON.stringify(batch[first.index])}: ${first.errors.join('; ')}`,
          ),
        );
      }
    } catch (err) {
      if (this.signal.aborted) {
        this.queues[feed].buffer.unshift(...batch); // kept for state(): a checkpoint re-sends it
        return;
      }
      if (err instanceof IngestRefusedError) this.stats.rejected += batch.length;
      this.report(err);
    }
  }
}
