import { AppError } from '../platform/errors.ts';
import { msg, type Message } from '../../shared/messages/index.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { FEED_MODULES } from '../feeds/index.ts';
import { normalizeFileValues } from './file-values.ts';
import { TICKET_ROW_ALIASES, expandTicketRow, isTicketRowHeader } from './ticket-rows.ts';

/**
 * Turns the rows of an import file (cells keyed by header text) into raw records of a feed, ready for
 * `FEED_MODULES[feed].normalize` — which does all the validation. Columns are renamed with the feed's
 * aliases (plus a user's column map), times rewritten (file-values), and hotline ticket rows expanded.
 */

export interface RowMapperOptions {
  /** Header text → field (English name or 中文列名 of the feed), chosen by a user for columns the feed does not know; wins over the aliases. */
  columnMap?: Readonly<Record<string, string>>;
}

export type MappedRow = { records: Record<string, unknown>[] } | { errors: Message[] };

export interface RowMapper {
  /** The raw records of one row (several for a ticket row), or why the row yields none. */
  mapRow(cells: Readonly<Record<string, unknown>>): MappedRow;
  /** Headers that map to no field; their cells are ignored. */
  unknownColumns: string[];
  /** Headers that map to a field. */
  recognised: string[];
  /** True when the file is a hotline ticket row file (one row per ticket). */
  ticketRows: boolean;
}

function aliasesOf(feed: FeedName): Readonly<Record<string, string>> {
  const module = FEED_MODULES[feed];
  if (!module) throw new AppError('bad_request', msg('import.unknown_feed', { feed }));
  return module.fieldAliases;
}

function applyColumnMap(headers: readonly string[], columnMap: Readonly<Record<string, string>>): string[] {
  return headers.map((h) => columnMap[h.trim()] ?? h.trim());
}

/** Every column name (中文 and English) `feed` recognises in a file header, the ticket row columns included for the hotline. */
export function knownColumns(feed: FeedName, columnMap: Readonly<Record<string, string>> = {}): string[] {
  const names = new Set(Object.keys(aliasesOf(feed)));
  if (feed === 'hotline') for (const name of Object.keys(TICKET_ROW_ALIASES)) names.add(name);
  for (const name of Object.keys(columnMap)) names.add(name.trim());
  return [...names];
}

/** The feed's columns as a user would look for them: `中文列名/field`. */
export function describeColumns(feed: FeedName): string[] {
  const aliases = feed === 'hotline' ? { ...aliasesOf(feed), ...TICKET_ROW_ALIASES } : aliasesOf(feed);
  return Object.entries(aliases)
    .filter(([name, field]) => name !== field)
    .map(([name, field]) => `${name}/${field}`);
}

/**
 * Throws 'validation_failed' when no header names a column `feed` knows (nor one of `columnMap`),
 * listing the columns found and the ones expected.
 */
export function assertKnownHeader(feed: FeedName, headers: readonly string[], columnMap?: Readonly<Record<string, string>>): void {
  const known = new Set(knownColumns(feed, columnMap));
  if (headers.some((h) => known.has(h.trim()))) return;
  const found = headers.join(', ');
  const expected = describeColumns(feed).join(', ');
  throw new AppError('validation_failed', msg('import.no_known_column', { feed, found, expected }), {
    found: [...headers],
    expected: describeColumns(feed),
  });
}

/**
 * A mapper for the rows of one file of `feed` with header row `headers`. Throws 'validation_failed'
 * when the column map names a field the feed does not have, or two columns map to the same field.
 */
export function createRowMapper(feed: FeedName, headers: readonly string[], options: RowMapperOptions = {}): RowMapper {
  const columnMap = options.columnMap ?? {};
  const ticketRows = feed === 'hotline' && isTicketRowHeader(applyColumnMap(headers, columnMap));
  const aliases = ticketRows ? TICKET_ROW_ALIASES : aliasesOf(feed);
  const columns: [header: string, field: string][] = [];
  const unknownColumns: string[] = [];
  const headerOfField = new Map<string, string>();
  for (const header of headers) {
    const name = header.trim();
    if (name === '') continue;
    const target = columnMap[name];
    const field = target !== undefined ? aliases[target.trim()] : aliases[name];
    if (target !== undefined && field === undefined) {
      throw new AppError('validation_failed', msg('import.bad_column_map', { column: name, target, feed }));
    }
    if (field === undefined) {
      unknownColumns.push(header);
      continue;
    }
    const other = headerOfField.get(field);
    if (other !== undefined) {
      throw new AppError('validation_failed', msg('import.duplicate_column', { other, column: name, field }));
    }
    headerOfField.set(field, name);
    columns.push([header, field]);
  }

  function mapRow(cells: Readonly<Record<string, unknown>>): MappedRow {
    const raw: Record<string, unknown> = {};
    for (const [header, field] of columns) {
      if (cells[header] !== undefined) raw[field] = cells[header];
    }
    const values = normalizeFileValues(feed, raw);
    if (!ticketRows) return { records: [values] };
    const records = expandTicketRow(values);
    if (records.length > 0) return { records };
    return { errors: [msg('import.no_milestone')] };
  }

  return { mapRow, unknownColumns, recognised: columns.map(([header]) => header), ticketRows };
}
