import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import type { FeedRecord } from './context.ts';
import { HALL_QUEUE_HEADER, hallQueueRows, writeCsv } from './export-files.ts';
import { FEEDS, type FeedName } from './year.ts';

/**
 * The simulator as an *upstream* the bureau's systems would be: an export interface that Pulse's HTTP
 * connectors poll, instead of the simulator POSTing to Pulse. Like the rest of the simulator it is an
 * outside system: it imports nothing from `server/`, `workers/` or `shared/`.
 *
 * One endpoint per feed, `GET /<feed>?pageToken=<token>&pageSize=<k>` → `{ items: [...], next }`, from an
 * append-only list per feed, records in the contract's field names (FEEDS.md), so a connector needs no
 * fieldMap. The page token is an offset into the list: `next` names the offset after this page while
 * there are records beyond it, else `null` — a connector with a `page` cursor then polls the same page
 * again and sees what has been appended to it.
 *
 * Tokens are `<offset>.<run>` (`run` is random per start): a token of an earlier run — a cursor Pulse
 * kept in Redis while the simulator restarted with fresh lists — starts over at offset 0 (the records
 * sent again are duplicates, which change nothing) rather than skipping the new run's first records.
 * A bare `<offset>` is taken as is.
 */

export interface UpstreamOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Page size when the request names none (default 1000); at most `maxPageSize` (default 10,000). */
  defaultPageSize?: number;
  maxPageSize?: number;
}

export interface Upstream {
  /** e.g. `http://127.0.0.1:40123`; a feed's endpoint is `${url}/${feed}`. */
  url: string;
  /** Appends records to a feed's list (copied: later changes by the caller are not seen). */
  add(feed: FeedName, records: readonly FeedRecord[]): void;
  /** Records held per feed. */
  size(feed: FeedName): number;
  close(): Promise<void>;
}

export async function startUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const host = options.host ?? '127.0.0.1';
  const defaultPageSize = options.defaultPageSize ?? 1_000;
  const maxPageSize = options.maxPageSize ?? 10_000;
  const run = randomBytes(4).toString('hex');
  const lists = new Map<string, FeedRecord[]>(FEEDS.map((f) => [f, []]));

  const offsetOf = (token: string | null): number | null => {
    if (token === null || token === '') return 0;
    const m = /^(\d+)(?:\.([0-9a-f]+))?$/.exec(token);
    if (!m) return null;
    if (m[2] !== undefined && m[2] !== run) return 0;
    return Number(m[1]);
  };

  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://upstream');
    const list = lists.get(url.pathname.replace(/^\/+|\/+$/g, ''));
    if (req.method !== 'GET') return reply(405, { error: 'GET only' });
    if (!list) return reply(404, { error: `no such feed; try ${FEEDS.map((f) => `/${f}`).join(', ')}` });
    const offset = offsetOf(url.searchParams.get('pageToken'));
    if (offset === null) return reply(400, { error: 'pageToken must be a token this upstream named' });
    const sizeText = url.searchParams.get('pageSize');
    const size = sizeText === null ? defaultPageSize : Number(sizeText);
    if (!Number.isInteger(size) || size < 1 || size > maxPageSize)
      return reply(400, { error: `pageSize must be a whole number from 1 to ${maxPageSize}` });
    const end = Math.min(list.length, offset + size);
    const items = list.slice(offset, end);
    reply(200, { items, next: end < list.length ? `${end}.${run}` : null });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    add(feed, records) {
      const list = lists.get(feed);
      if (!list) throw new Error(`unknown feed ${feed}`);
      for (const r of records) list.push({ ...r });
    },
    size: (feed) => lists.get(feed)?.length ?? 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A connectors file (CONNECTORS_FILE, see core/connectors/config.ts) that pulls this upstream: one HTTP
 * connector per feed (page cursor `pageToken`, `{ items, next }`, no field map: the upstream speaks the
 * contract's names) and a drop folder for the hall's queue log at `hallDropDir` (give it absolute: a
 * relative path is taken relative to the connectors file).
 */
export function pullConnectors(
  upstreamUrl: string,
  hallDropDir: string,
  options: { intervalSeconds?: number; pageSize?: number; idPrefix?: string } = {},
): { connectors: Record<string, unknown>[] } {
  const { intervalSeconds = 2, pageSize = 5_000, idPrefix = 'demo' } = options;
  return {
    connectors: [
      ...FEEDS.map((feed) => ({
        id: `${idPrefix}-${feed.toLowerCase()}`,
        kind: 'http',
        feed,
        url: `${upstreamUrl}/${feed}`,
        intervalSeconds,
        query: { pageSize: String(pageSize) },
        cursor: { kind: 'page', param: 'pageToken' },
        paging: { itemsPath: 'items', nextPath: 'next' },
        maxPagesPerRun: 1_000,
      })),
      { id: `${idPrefix}-hall-drop`, kind: 'folder', feed: 'hall', path: hallDropDir, intervalSeconds, stableForSeconds: intervalSeconds },
    ],
  };
}

/** Hall footfall rows (the entrance counters'), which a queue log does not hold. */
export const isFootfall = (r: FeedRecord) => r.type === 'footfall' || r.type === '客流';

/**
 * Writes hall queue records as the hall system's queue log (`<name>.csv`, UTF-8 with BOM, export-files'
 * writer; footfall rows left out) into `dropDir` — written in a staging folder beside it and renamed in,
 * so a folder connector never sees half a file. Returns the files' paths in `dropDir`.
 */
export async function dropHallQueueCsv(dropDir: string, name: string, records: readonly FeedRecord[]): Promise<string[]> {
  const staging = `${dropDir.replace(/[\\/]+$/, '')}.staging`;
  await mkdir(staging, { recursive: true });
  await mkdir(dropDir, { recursive: true });
  try {
    const files = await writeCsv(join(staging, name), HALL_QUEUE_HEADER, hallQueueRows(records.filter((r) => !isFootfall(r))), 'utf8-bom');
    const moved: string[] = [];
    for (const file of files) {
      const target = join(dropDir, basename(file.path));
      await rename(file.path, target);
      moved.push(target);
    }
    return moved;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
