import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, Transform, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../platform/errors.ts';
import { msg, type Message } from '../../shared/messages/index.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { assertKnownHeader } from './row-mapper.ts';
import { MB, mbText, xlsxRows, type RawRow } from './xlsx-rows.ts';

/**
 * Streams the rows of an import file — CSV (UTF-8, UTF-8 with BOM, GB18030, UTF-16 with BOM; comma or
 * tab separated) or XLSX (first worksheet), told apart by content — in bounded memory. Pure of Redis/HTTP.
 */

const SNIFF_BYTES = 64 * 1024;
/** Longest CSV record accepted, in characters; an unclosed quote otherwise swallows the whole file. */
const MAX_RECORD_CHARS = 4 * MB;

export interface ReadRowsOptions {
  /** When given, a header naming no column of this feed (nor of `columnMap`) is refused. */
  feed?: FeedName;
  /** The user's column map (header → field), counted as known columns for the header check. */
  columnMap?: Readonly<Record<string, string>>;
  /** Largest file accepted, in bytes (default 100 MB). */
  maxBytes?: number;
  /** Most data rows accepted (default 1,000,000); one more stops the read with 'payload_too_large'. */
  maxRows?: number;
  /** Most bytes an XLSX may declare, or inflate, once unzipped (default 500 MB). */
  maxUncompressedBytes?: number;
  /** Called once with the trimmed header cells (empty ones left out), before the first data row. */
  onHeader?: (headers: string[]) => void;
  /** Called as the file is read, with the bytes read so far (progress; for an XLSX, the file's share that the worksheet read so far stands for). */
  onBytes?: (bytesRead: number) => void;
}

/** One data row: its row number as Excel shows it (header = 1), and its cells keyed by header text. */
export interface FileRow {
  rowNumber: number;
  /**
   * One entry per named header column (so `Object.keys` of any row is the header): strings (CSV, XLSX
   * text), numbers and booleans (XLSX), XLSX dates as local `YYYY-MM-DD HH:mm:ss`; an empty cell is ''.
   */
  cells: Record<string, unknown>;
}

/**
 * The data rows of the CSV or XLSX file at `path`, in order. Throws AppError: 'payload_too_large' (file,
 * rows or unzipped XLSX over the limits), 'validation_failed' (empty file, header only, no known column,
 * malformed CSV or XLSX), 'unsupported_media_type' (a zip that is no XLSX, a legacy .xls, a binary file).
 */
export async function* readRows(path: string, options: ReadRowsOptions = {}): AsyncGenerator<FileRow> {
  const maxBytes = options.maxBytes ?? 100 * MB;
  const size = (await stat(path)).size;
  if (size > maxBytes) {
    throw new AppError('payload_too_large', msg('file.too_large', { mb: mbText(maxBytes) }), {
      maxBytes,
      size,
    });
  }
  if (size === 0) throw emptyFile();
  const head = await readAt(path, 0, SNIFF_BYTES);
  const source = isZip(head)
    ? xlsxRows(path, size, options.maxUncompressedBytes ?? 500 * MB, options.onBytes)
    : csvRows(path, head, options.onBytes);
  yield* dataRows(source, options);
}

function emptyFile(): AppError {
  return new AppError('validation_failed', msg('file.empty'));
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Header detection, empty-row skipping, the row limit and the end-of-file checks, common to CSV and XLSX. */
async function* dataRows(source: AsyncIterable<RawRow>, options: ReadRowsOptions): AsyncGenerator<FileRow> {
  const maxRows = options.maxRows ?? 1_000_000;
  let headers: string[] | undefined;
  let count = 0;
  for await (const { rowNumber, values } of source) {
    if (values.every(isBlank)) continue;
    if (headers === undefined) {
      headers = Array.from(values, (v) =>
        isBlank(v)
          ? ''
          : String(v)
              .replace(/^\uFEFF/, '')
              .trim(),
      );
      const named = headers.filter((h) => h !== '');
      if (options.feed !== undefined) assertKnownHeader(options.feed, named, options.columnMap);
      options.onHeader?.(named);
      continue;
    }
    if (++count > maxRows) {
      throw new AppError('payload_too_large', msg('file.too_many_rows', { max: maxRows }), {
        maxRows,
        rowNumber,
      });
    }
    const cells: Record<string, unknown> = {};
    headers.forEach((header, i) => {
      if (header === '') return;
      const value = values[i];
      if (!isBlank(value)) {
        if (isBlank(cells[header])) cells[header] = value; // a repeated header: the first filled cell wins
      } else if (!(header in cells)) cells[header] = '';
    });
    yield { rowNumber, cells };
  }
  if (headers === undefined) throw emptyFile();
  if (count === 0) throw new AppError('validation_failed', msg('file.header_only'));
}

async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Passes the file's bytes through, reporting the running total to `onBytes` (progress). */
function byteCounter(onBytes?: (bytesRead: number) => void): Transform {
  if (!onBytes) return new PassThrough();
  let bytesRead = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytesRead += chunk.length;
      onBytes(bytesRead);
      callback(null, chunk);
    },
  });
}

function isZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32BE(0) === 0x504b0304;
}

// ── CSV ────────────────────────────────────────────────────────────────────────────────────────────

type CsvEncoding = 'utf8' | 'gb18030' | 'utf-16le' | 'utf-16be';

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * BOM → UTF-8 / UTF-16. Otherwise the first 64 KB holding a non-ASCII byte decides: valid UTF-8 is
 * UTF-8, anything else GB18030 (Excel on Chinese Windows). Pure ASCII is UTF-8.
 */
async function detectEncoding(path: string, head: Buffer): Promise<CsvEncoding> {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.subarray(0, OLE_MAGIC.length).equals(OLE_MAGIC)) {
    throw new AppError('unsupported_media_type', msg('file.legacy_excel'));
  }
  if (head.includes(0)) throw new AppError('unsupported_media_type', msg('file.not_csv_or_xlsx'));
  let chunk = head;
  let position = 0;
  for (;;) {
    const firstHigh = chunk.findIndex((byte) => byte >= 0x80);
    if (firstHigh >= 0) {
      const window = await readAt(path, position + firstHigh, SNIFF_BYTES);
      return mostlyUtf8(window, window.length < SNIFF_BYTES) ? 'utf8' : 'gb18030';
    }
    if (chunk.length < SNIFF_BYTES) return 'utf8';
    position += chunk.length;
    chunk = await readAt(path, position, SNIFF_BYTES);
  }
}

/**
 * Whether `window` is UTF-8 with at most a few stray bytes: a UTF-8 file with a few rows pasted in
 * from a GBK system stays UTF-8 (those rows decode with U+FFFD and are refused one by one, see
 * `hasUndecodableText`), instead of the whole file being read as GB18030. Real GB18030 text decodes
 * as UTF-8 to mostly replacement characters.
 */
function mostlyUtf8(window: Buffer, atEnd: boolean): boolean {
  const text = new TextDecoder('utf-8').decode(atEnd ? window : window.subarray(0, lastCharStart(window)));
  let valid = 0;
  let replaced = 0;
  for (const ch of text) {
    if (ch === '\uFFFD') replaced++;
    else if (ch.charCodeAt(0) >= 0x80) valid++;
  }
  return replaced <= valid / 10;
}

/** Where the last (possibly cut) UTF-8 character of `bytes` starts, so a window never ends mid-character. */
function lastCharStart(bytes: Buffer): number {
  let i = bytes.length - 1;
  while (i > 0 && bytes.length - i < 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  return i > 0 ? i : bytes.length;
}

/** A cell holding bytes its file's encoding could not decode (U+FFFD): the row is refused with this reason. */
export function hasUndecodableText(cells: Record<string, unknown>): Message | null {
  for (const [header, value] of Object.entries(cells)) {
    if (typeof value === 'string' && value.includes('\uFFFD')) {
      return msg('import.undecodable', { field: header });
    }
  }
  return null;
}

/** Tab when the header line has tabs and no commas; comma otherwise. */
function detectDelimiter(head: Buffer, encoding: CsvEncoding): string {
  const text = iconv.decode(head, encoding);
  const headerLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  return headerLine.includes('\t') && !headerLine.includes(',') ? '\t' : ',';
}

async function* csvRows(path: string, head: Buffer, onBytes?: (bytesRead: number) => void): AsyncGenerator<RawRow> {
  const encoding = await detectEncoding(path, head);
  const parser = parse({
    delimiter: detectDelimiter(head, encoding),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  // Errors of any stage destroy the parser, so they surface in the loop below.
  pipeline(createReadStream(path), byteCounter(onBytes), iconv.decodeStream(encoding, { stripBOM: true }), parser, () => {});
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1; // one record is one Excel row, even when a quoted cell spans several lines
      yield { rowNumber, values: record };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new AppError(
      'validation_failed',
      msg('file.csv_malformed', { row: rowNumber + 1, detail: error.message }),
      undefined,
      undefined,
      { cause: error },
    );
  } finally {
    parser.destroy();
  }
}
