/**
 * Text a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return (CSV/formula injection) — gets a leading apostrophe, so Excel and WPS show it as text.
 * Numbers are never passed here: they stay numbers. Shared by CSV (core/imports/csv.ts) and XLSX
 * (core/export/render-xlsx.ts) output, and usable by the client's table downloads.
 */
export function neutralizeFormulaText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
