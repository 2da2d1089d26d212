import { AppError } from '../platform/errors.ts';
import type { HttpConnectorConfig } from './config.ts';
import { emptySummary, SourceError, type Connector, type ConnectorDeps, type ConnectorRunSummary } from './connector.ts';
import { cursorTimeMs, fingerprint, getPath, mapFields } from './source-records.ts';

/** Records per queued batch, as for file imports. */
const BATCH_RECORDS = 5_000;
/** Fingerprints kept with a cursor (a last page larger than this is queued again on each run; the ledger dedupes it). */
const MAX_SEEN = 20_000;
/** Rejected records described in the run summary. */
const MAX_REJECTIONS = 10;

/**
 * Where an HTTP connector stands: the cursor value to send (null: none yet), its time for a since
 * cursor, and the fingerprints of the records already queued from requests with this value — so that
 * polling the last page again (or the records at the since time) queues only what is new there.
 */
interface StoredCursor {
  value: string | null;
  ms?: number;
  seen: string[];
}

/**
 * Polls a JSON endpoint page by page. Each page's records are mapped (`fieldMap`), validated by the feed
 * module and queued through IngestService — the path and statistics of HTTP ingest — and only then
 * is the cursor advanced, so a crash re-fetches a page rather than losing one; a page fetched twice
 * queues duplicates the ledger recognises. A malformed record is rejected alone; the page advances.
 */
export class HttpConnector implements Connector {
  private readonly c: HttpConnectorConfig;
  private readonly deps: ConnectorDeps;

  constructor(c: HttpConnectorConfig, deps: ConnectorDeps) {
    this.c = c;
    this.deps = deps;
  }

  async run(): Promise<ConnectorRunSummary> {
    const summary = emptySummary();
    let cursor = await this.loadCursor();
    for (let page = 0; page < this.c.maxPagesPerRun; page++) {
      const body = await this.fetchPage(cursor.value);
      summary.pages++;
      const items = getPath(body, this.c.paging.itemsPath);
      if (!Array.isArray(items)) {
        throw new SourceError(`the response has no array of records at "${this.c.paging.itemsPath || '(the response itself)'}"`);
      }
      const prints = items.map(fingerprint);
      const seen = new Set(cursor.seen);
      const fresh = items.flatMap((item, index) => (seen.has(prints[index]!) ? [] : [{ item, index }]));
      summary.skipped += items.length - fresh.length;
      if (fresh.length > 0 && !(await this.queue(fresh, summary))) return summary;
      const next = this.nextCursor(cursor, body, items, prints);
      if (next.value === cursor.value && fresh.length === 0) break; // caught up, nothing new
      // Only now, with the page's records durably queued, does the cursor move.
      await this.deps.redis.set(this.deps.keys.connectorCursor(this.c.id), JSON.stringify(next));
      if (next.value === cursor.value) break;
      cursor = next;
    }
    return summary;
  }

  private async loadCursor(): Promise<StoredCursor> {
    const json = await this.deps.redis.get(this.deps.keys.connectorCursor(this.c.id));
    if (json) return JSON.parse(json) as StoredCursor;
    return { value: this.c.cursor.initial ?? null, seen: [] };
  }

  /** Validates and queues a page's new records; false when the ingest backlog is full (the run pauses, the cursor stays). */
  private async queue(fresh: { item: unknown; index: number }[], summary: ConnectorRunSummary): Promise<boolean> {
    const { ingest } = this.deps;
    const accepted: { id: string }[] = [];
    let rejected = 0;
    for (const { item, index } of fresh) {
      const result = ingest.normalize(this.c.feed, mapFields(item, this.c.fieldMap));
      if (result.ok) accepted.push(result.record);
      else {
        rejected++;
        if (summary.rejections.length < MAX_REJECTIONS) summary.rejections.push({ index, errors: result.errors });
      }
    }
    try {
      await ingest.assertAccepting(this.c.feed);
    } catch (err) {
      if (err instanceof AppError && err.code === 'backlog_full') {
        summary.paused = err.message;
        return false;
      }
      throw err;
    }
    const batches = Math.max(1, Math.ceil(accepted.length / BATCH_RECORDS));
    for (let i = 0; i < batches; i++) {
      const chunk = accepted.slice(i * BATCH_RECORDS, (i + 1) * BATCH_RECORDS);
      const rejectedHere = i === 0 ? rejected : 0;
      const batchId = await ingest.enqueue(this.c.feed, chunk, chunk.length + rejectedHere, rejectedHere);
      if (batchId) summary.batchIds.push(batchId);
    }
    summary.received += fresh.length;
    summary.rejected += rejected;
    return true;
  }

  /**
   * Page cursor: the next token when the page names a new one, else the same token (the last page is
   * polled again for what is appended to it). Since cursor: the greatest record time seen, never
   * earlier than the current one. Staying put, the cursor remembers every fingerprint it has queued.
   */
  private nextCursor(cursor: StoredCursor, body: unknown, items: unknown[], prints: string[]): StoredCursor {
    const stay = (): StoredCursor => ({ ...cursor, seen: [...new Set([...prints, ...cursor.seen])].slice(0, MAX_SEEN) });
    if (this.c.cursor.kind === 'page') {
      const token = getPath(body, this.c.paging.nextPath!);
      const next = typeof token === 'string' || typeof token === 'number' ? String(token) : '';
      return next !== '' && next !== cursor.value ? { value: next, seen: [] } : stay();
    }
    const field = this.c.cursor.field;
    let maxMs = cursor.ms ?? (cursor.value === null ? null : cursorTimeMs(cursor.value, this.deps.tz)) ?? -Infinity;
    let maxValue = cursor.value;
    let atMax: string[] = [];
    items.forEach((item, i) => {
      const raw = getPath(item, field);
      const ms = cursorTimeMs(raw, this.deps.tz);
      if (ms === null || ms < maxMs) return;
      if (ms > maxMs) {
        maxMs = ms;
        maxValue = String(raw);
        atMax = [];
      }
      atMax.push(prints[i]!);
    });
    return maxValue !== cursor.value ? { value: maxValue, ms: maxMs, seen: atMax.slice(0, MAX_SEEN) } : stay();
  }

  private async fetchPage(cursorValue: string | null): Promise<unknown> {
    const url = new URL(this.c.url);
    for (const [name, value] of Object.entries(this.c.query)) url.searchParams.set(name, value);
    if (cursorValue !== null) url.searchParams.set(this.c.cursor.param, cursorValue);
    const headers: Record<string, string> = { accept: 'application/json', ...this.c.headers };
    const auth = this.c.auth;
    if (auth?.in === 'header') headers[auth.name] = `${auth.prefix}${auth.value}`;
    if (auth?.in === 'query') url.searchParams.set(auth.name, auth.value);
    // Never the query string in a message: it may carry the token.
    const where = `${url.origin}${url.pathname}`;
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, { method: 'GET', headers, signal: AbortSignal.timeout(this.c.timeoutSeconds * 1000) });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { message?: string } };
      if (e.name === 'TimeoutError') throw new SourceError(`no complete answer from ${where} within ${this.c.timeoutSeconds} s (timeout)`);
      throw new SourceError(`cannot reach ${where}: ${e.cause?.message ?? e.message}`);
    }
    if (status < 200 || status > 299) {
      const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
      throw new SourceError(`HTTP ${status} from ${where}${excerpt ? `: ${excerpt}` : ''}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SourceError(`the answer of ${where} is not JSON`);
    }
  }
}
