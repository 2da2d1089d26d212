import { DAY, operation as op, queryParam, type JsonSchema } from './operations.ts';

/** `GET /api/export/evidence` in GET /api/openapi.json (server/routes/evidence.ts). */
export function evidencePaths(): Record<string, Record<string, JsonSchema>> {
  return {
    '/api/export/evidence': {
      get: op({
        tag: 'exports',
        summary: 'The evidence pack 佐证材料 of a period (REPORT.md v2)',
        description:
          'A ZIP streamed as it is built: `manifest.json` `{ year | from,to, generatedAt, timeZone, kpis: { "<id>": { value, numerator?, ' +
          'denominator?, files: [{ name, side, relation, column?, rows, sum?, sha256 }] } }, excluded, note }` and, per side of every count ' +
          'and rate of the export, a UTF-8-with-BOM CSV of the ledger entities behind it, one per row. `relation` `rows`: the figure is the ' +
          'row count; `sum`: it is the sum of `column`. `generatedAt` is the newest applied batch of the feeds covered, so the manifest ' +
          "is byte-identical for unchanged data; its SHA-256 is printed on the year-end DOCX's last page. Never a caller's number.",
        who: 'manager',
        params: [
          queryParam('year', 'YYYY (or from/to)', { type: 'integer' }),
          queryParam('from', 'first day', DAY),
          queryParam('to', 'last day (default: from)', DAY),
        ],
        ok: { description: 'the ZIP', content: 'application/zip' },
      }),
    },
  };
}
