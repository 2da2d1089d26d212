import { AppError } from '../platform/errors.ts';
import { msg, type Message } from '../../shared/messages/index.ts';
import { hasUndecodableText, readRows } from '../imports/file-rows.ts';
import { normalizeTimeText } from '../imports/file-values.ts';
import { MB } from '../imports/xlsx-rows.ts';

/** Largest reference file accepted: 10,000 rows of a catalogue are far below it. */
export const MAX_REFERENCE_FILE_BYTES = 10 * MB;
/** Most rows a reference list may hold (as MAX_REFERENCE_ENTRIES); one more stops the read. */
const MAX_REFERENCE_ROWS = 10_000;

export interface ReferenceFile {
  /** One entry per data row, keyed by field name; empty cells left out. */
  entries: Record<string, unknown>[];
  /** Each entry's row number as the spreadsheet shows it (header = 1). */
  rows: number[];
  /** Entries refused while reading (a cell the file's encoding could not decode), by index. */
  preRejected: Map<number, Message[]>;
}

/**
 * Reads a reference list (跨域通办 partners or items) from the CSV or XLSX file the bureau keeps, with
 * the imports' readers (core/imports: encoding detection, XLSX, limits). A header cell is a field's
 * Chinese column name or its English name (any case); a file without every column is refused whole.
 * Date cells (`dayFields`) are read as imports read them: 2022/3/4, 2022年3月4日, an XLSX date.
 */
export async function readReferenceFile(
  path: string,
  labels: Readonly<Record<string, string>>,
  dayFields: readonly string[],
): Promise<ReferenceFile> {
  const fieldOf = new Map<string, string>();
  for (const [field, zh] of Object.entries(labels)) {
    fieldOf.set(field.toLowerCase(), field);
    fieldOf.set(zh, field);
  }
  const columnField = (header: string) => fieldOf.get(header.trim()) ?? fieldOf.get(header.trim().toLowerCase());
  const file: ReferenceFile = { entries: [], rows: [], preRejected: new Map() };
  const checkHeader = (headers: string[]) => {
    const found = new Set(headers.map(columnField));
    const missing = Object.entries(labels).filter(([field]) => !found.has(field));
    if (missing.length > 0) {
      const names = missing.map(([field, zh]) => `${zh} (${field})`).join(', ');
      throw new AppError('validation_failed', msg('reference.missing_columns', { names }), {
        missing: missing.map(([field]) => field),
      });
    }
  };
  for await (const row of readRows(path, { maxBytes: MAX_REFERENCE_FILE_BYTES, maxRows: MAX_REFERENCE_ROWS, onHeader: checkHeader })) {
    const entry: Record<string, unknown> = {};
    for (const [header, value] of Object.entries(row.cells)) {
      const field = columnField(header);
      if (field === undefined || value === null || value === undefined) continue;
      const text = typeof value === 'string' ? value.trim() : value;
      if (text === '') continue;
      entry[field] = typeof text === 'string' && dayFields.includes(field) ? normalizeTimeText(text, true) : text;
    }
    const undecodable = hasUndecodableText(row.cells);
    if (undecodable) file.preRejected.set(file.entries.length, [undecodable]);
    file.entries.push(entry);
    file.rows.push(row.rowNumber);
  }
  return file;
}
