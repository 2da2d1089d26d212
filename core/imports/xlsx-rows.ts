import { Transform, pipeline, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';

/**
 * The XLSX half of readRows (file-rows.ts): the first worksheet's rows, streamed through exceljs's parsers
 * from the entries the central directory lists, every inflated byte counted against the limit.
 */

export const MB = 1024 * 1024;
export const mbText = (bytes: number): string => String(Math.round((bytes / MB) * 10) / 10);

export interface RawRow {
  rowNumber: number;
  values: unknown[];
}

/** An XLSX entry larger than this (uncompressed) must not expand more than MAX_ENTRY_RATIO:1. */
const RATIO_CHECK_BYTES = 10 * MB;
const MAX_ENTRY_RATIO = 200;

// ── XLSX ───────────────────────────────────────────────────────────────────────────────────────────

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * The steps of exceljs's streaming WorkbookReader that parse one zip entry each (exceljs 4.4.0,
 * lib/stream/xlsx/workbook-reader.js). Its own unzipping is not used: it inflates every local entry,
 * listed in the central directory or not, and parks a worksheet met before the shared strings in a
 * temp file it removes only once the whole workbook has been read.
 */
interface WorkbookParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Iterable<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

function notXlsx(cause?: unknown): AppError {
  return new AppError('unsupported_media_type', msg('file.not_xlsx'), undefined, undefined, { cause });
}

/** Over the limit: as its entries declare, or, with `liar`, as the entry `liar` actually inflated (more than it declares). */
function expandsTooFar(maxUncompressedBytes: number, liar?: string): AppError {
  const limit = mbText(maxUncompressedBytes);
  const message = liar ? msg('file.xlsx_entry_lies', { mb: limit, entry: liar }) : msg('file.xlsx_expands', { mb: limit });
  return new AppError('payload_too_large', message, { maxUncompressedBytes, ...(liar && { entry: liar }) });
}

/**
 * The entries the central directory lists, by name. Zip-bomb guard from the directory alone (nothing
 * is inflated): refuses an XLSX whose entries declare more than `maxUncompressedBytes` in all, or an
 * entry over 10 MB expanding more than 200:1, and a zip without `xl/workbook.xml`.
 */
async function listEntries(zip: yauzl.ZipFile, maxUncompressedBytes: number): Promise<Map<string, yauzl.Entry>> {
  const entries = new Map<string, yauzl.Entry>();
  let totalBytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      totalBytes += entry.uncompressedSize;
      if (totalBytes > maxUncompressedBytes) throw expandsTooFar(maxUncompressedBytes);
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > RATIO_CHECK_BYTES && ratio > MAX_ENTRY_RATIO) {
        const shown = Math.round(ratio);
        throw new AppError('payload_too_large', msg('file.xlsx_ratio', { entry: entry.fileName, ratio: shown, limit: MAX_ENTRY_RATIO }), {
          entry: entry.fileName,
          ratio: shown,
        });
      }
      if (!entries.has(entry.fileName)) entries.set(entry.fileName, entry);
    }
  } catch (error) {
    throw error instanceof AppError ? error : notXlsx(error);
  }
  if (!entries.has('xl/workbook.xml')) throw notXlsx();
  return entries;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * exceljs builds a date cell as if UTC from the wall-clock time Excel stored: its UTC fields are the
 * local time, never shifted by a zone. Rounded to the second (serials carry float noise).
 */
function wallClock(date: Date): string | undefined {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(Math.round(ms / 1000) * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** A cell as text/number/boolean: rich text → its text, formula → its result, hyperlink → its text, error → `#N/A`…. */
function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return wallClock(value);
  if (typeof value !== 'object') return value;
  const cell = value as Record<string, unknown>;
  if (Array.isArray(cell.richText)) return cell.richText.map((run: { text?: unknown }) => String(run.text ?? '')).join('');
  if ('formula' in cell || 'sharedFormula' in cell) return cellValue(cell.result);
  if ('error' in cell) return String(cell.error);
  if ('text' in cell) return cellValue(cell.text);
  return undefined;
}

/**
 * The first worksheet's rows. Only entries the central directory lists are read, each inflated as it
 * is parsed (no temp file), and every inflated byte counts against `maxUncompressedBytes` as it
 * streams, whatever the headers declare: a lying zip stops there, with the CPU spent bounded by it.
 */
export async function* xlsxRows(
  path: string,
  size: number,
  maxUncompressedBytes: number,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<RawRow> {
  // Sizes are enforced by the count below, against the limit, not against what each entry declares.
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: false }).catch((error: unknown) => {
    throw notXlsx(error);
  });
  const opened: Readable[] = [];
  let budget = maxUncompressedBytes;
  /** `entry`'s bytes as they are inflated, counted against the limit; `onInflated` gets the entry's running total. */
  const inflate = async (entry: yauzl.Entry, onInflated?: (bytes: number) => void): Promise<Readable> => {
    let inflated = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        inflated += chunk.length;
        budget -= chunk.length;
        onInflated?.(inflated);
        callback(budget < 0 ? expandsTooFar(maxUncompressedBytes, entry.fileName) : null, chunk);
      },
    });
    const stream = pipeline(await zip.openReadStreamPromise(entry), counter, () => {});
    opened.push(stream);
    return stream;
  };
  try {
    const entries = await listEntries(zip, maxUncompressedBytes);
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache', // needed to tell date cells from numbers
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as WorkbookParts;
    const rels = entries.get('xl/_rels/workbook.xml.rels');
    if (rels) await workbook._parseRels(await inflate(rels));
    await workbook._parseWorkbook(await inflate(entries.get('xl/workbook.xml')!));
    const sharedStrings = entries.get('xl/sharedStrings.xml');
    if (sharedStrings) for await (const _ of workbook._parseSharedStrings(await inflate(sharedStrings)));
    const styles = entries.get('xl/styles.xml');
    if (styles) await workbook._parseStyles(await inflate(styles));
    const sheet = [...entries.values()].find((entry) => WORKSHEET.test(entry.fileName)); // the first worksheet only
    if (!sheet) return;
    // Progress: the share of the file that the share of the worksheet inflated so far stands for.
    const share =
      onBytes && ((inflated: number) => onBytes(Math.min(size, Math.round((inflated / Math.max(1, sheet.uncompressedSize)) * size))));
    const sheetNo = WORKSHEET.exec(sheet.fileName)![1]!;
    for (const { value: reader } of workbook._parseWorksheet(await inflate(sheet, share), sheetNo)) {
      for await (const row of reader) {
        const cells = row.values as unknown[];
        const values = Array.from({ length: Math.max(0, cells.length - 1) }, (_, i) => cellValue(cells[i + 1]));
        yield { rowNumber: row.number, values };
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('validation_failed', msg('file.xlsx_unreadable', { detail: message }), undefined, undefined, {
      cause: error,
    });
  } finally {
    for (const stream of opened) stream.destroy();
    zip.close();
  }
}
