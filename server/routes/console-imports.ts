import { rm } from 'node:fs/promises';
import { Router } from 'express';
import type { ImportPreview } from '../../shared/console-types.ts';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { isFeedName, type FeedName } from '../../shared/feeds/feed.ts';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { readRows } from '../../core/imports/file-rows.ts';
import { TICKET_ROW_ALIASES, isTicketRowHeader } from '../../core/imports/ticket-rows.ts';
import { requireRole } from '../http/auth.ts';
import { receiveUpload } from '../http/upload.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import { MAX_IMPORT_BYTES } from '../../core/imports/import-service.ts';

const SAMPLE_ROWS = 5;

/** Column name → field of `feed`'s files: its own aliases, and for the hotline the ticket row columns. */
function aliasesOf(feed: FeedName, headers: readonly string[]): Readonly<Record<string, string>> {
  const own = FEED_MODULES[feed]!.fieldAliases;
  return feed === 'hotline' && isTicketRowHeader(headers) ? TICKET_ROW_ALIASES : own;
}

/** The fields a column may be mapped to, each with its 中文列名. */
function fieldsOf(feed: FeedName): ImportPreview['fields'] {
  const aliases = feed === 'hotline' ? { ...FEED_MODULES[feed]!.fieldAliases, ...TICKET_ROW_ALIASES } : FEED_MODULES[feed]!.fieldAliases;
  const byField = new Map<string, string>();
  for (const [name, field] of Object.entries(aliases)) if (name !== field && !byField.has(field)) byField.set(field, name);
  return [...byField].map(([field, labelZh]) => ({ field, labelZh }));
}

/**
 * POST /api/imports/preview (manager; multipart `feed`, `file`): the file's header, which columns the
 * feed knows, the fields the others may be mapped to (POST /api/imports `columnMap`), and a few rows.
 * Reads no further than that: a CSV may be sent cut after its first lines.
 */
export function consoleImportRoutes(auth: AuthService): Router {
  const router = Router();
  router.post('/imports/preview', requireRole(auth, 'manager'), async (req, res) => {
    const upload = await receiveUpload(req, MAX_IMPORT_BYTES);
    try {
      const feed = upload.fields.feed ?? '';
      if (!isFeedName(feed) || !FEED_MODULES[feed]) {
        throw new AppError('validation_failed', msg('upload.feed_field', { feed }));
      }
      let headers: string[] = [];
      const sample: Record<string, string>[] = [];
      try {
        for await (const row of readRows(upload.file.path, { maxBytes: MAX_IMPORT_BYTES, onHeader: (h) => (headers = h) })) {
          sample.push(Object.fromEntries(Object.entries(row.cells).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)])));
          if (sample.length >= SAMPLE_ROWS) break;
        }
      } catch (err) {
        // A CSV cut after its first lines may end inside a row: what was read before that stands.
        if (headers.length === 0 || !(err instanceof AppError) || err.code === 'unsupported_media_type') throw err;
      }
      const aliases = aliasesOf(feed, headers);
      const known: Record<string, string> = {};
      const unknown: string[] = [];
      for (const header of headers) {
        const field = aliases[header.trim()];
        if (field === undefined) unknown.push(header);
        else known[header] = field;
      }
      const preview: ImportPreview = { feed, headers, known, unknown, fields: fieldsOf(feed), sample };
      res.json(preview);
    } finally {
      await rm(upload.file.path, { force: true });
    }
  });
  return router;
}
