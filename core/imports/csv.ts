import { neutralizeFormulaText } from '../export/spreadsheet-text.ts';

/**
 * CSV for people: UTF-8 with a BOM (so Excel on Chinese Windows opens it right), CRLF lines, and
 * cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) neutralised
 * with a leading apostrophe.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value !== 'number') text = neutralizeFormulaText(text);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
