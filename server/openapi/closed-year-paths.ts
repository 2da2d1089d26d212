import { int, object, operation as op, str, yearPath, type JsonSchema } from './operations.ts';

const figure: JsonSchema = { type: ['number', 'null'], description: 'the KPI value (null: nothing to compute it from)' };

/** GET /api/admin/years/:year's answer (shared/closed-year.ts ClosedYearStatus). */
const STATUS: JsonSchema = object(
  {
    year: int('the year'),
    closed: { type: 'boolean', description: 'closed (封账)' },
    closedAt: str('when it was closed (ISO 8601)', { format: 'date-time' }),
    closedBy: str('who closed it'),
    adjustments: object({
      records: int('records accepted for a day of the year after it was closed (其后补录); 0 for an open year', { minimum: 0 }),
      kpis: {
        type: 'object',
        description:
          'Only the KPIs whose current value over the year (the live buckets, late records included) differs from the published one; a KPI absent here has not moved. Live figures (在办, 超时, 当前等候) are never listed. Empty for an open year.',
        additionalProperties: object({ published: figure, current: figure }),
      },
    }),
  },
  ['year', 'closed', 'adjustments'],
);

/** The closed year's calls (封账, API.md v2; server/routes/closed-years.ts). */
export function closedYearPaths(): Record<string, Record<string, JsonSchema>> {
  return {
    '/api/admin/years/{year}': {
      get: op({
        tag: 'administration',
        summary: 'A year’s state (封账) and its adjustments: late records and the KPIs that moved since it was closed',
        description: 'Managers read it too: the console marks the figures of a closed year with it (已封账 · 其后补录 N 条).',
        who: 'manager',
        params: [yearPath],
        ok: { description: 'the year', json: STATUS },
      }),
    },
    '/api/admin/years/{year}/close': {
      post: op({
        tag: 'administration',
        summary: 'Close the year (封账): freeze its figures and store its export',
        description:
          'From then on every period inside the year (GET /api/kpis, series, groups, exports, the next year’s 同比) is answered from the published figures, and the export of exactly the year returns the files stored now, byte for byte. Records arriving later are kept and counted as adjustments. Refused: an already closed year (409), a close or reopen of the year under way (409), a year not yet begun or not YYYY in 2000–2100 (400). Audited (`year.close`).',
        who: 'admin',
        params: [yearPath],
        ok: { description: 'the year, closed', json: STATUS },
        errors: [409],
      }),
      delete: op({
        tag: 'administration',
        summary: 'Reopen the year: drop its published figures and stored export; the late records count again',
        description: 'Refused for a year that is not closed (409). Audited (`year.reopen`, with the adjustments it brings in).',
        who: 'admin',
        params: [yearPath],
        ok: { description: 'the year, open', json: STATUS },
        errors: [409],
      }),
    },
  };
}
