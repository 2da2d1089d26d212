import { DAY, object, operation as op, queryParam, str, yearPath, type JsonSchema } from './operations.ts';

/** 预计全年 and the working-day calendar (server/routes/projection.ts), spread into server/openapi/paths.ts. */

const dates = (description: string): JsonSchema => ({ type: 'array', maxItems: 366, items: { ...DAY, description } });

const projectedKpi: JsonSchema = object(
  {
    value: { type: ['number', 'null'], description: 'projected figure for the whole calendar year (count: integer; rate: fraction)' },
    low: { type: ['number', 'null'], description: 'lower end of the 80 % interval' },
    high: { type: ['number', 'null'], description: 'upper end of the 80 % interval' },
    target: { type: 'number', description: 'the year’s target, when set' },
    status: str('against the target: the whole interval meets it, the target lies inside it, or the whole interval misses it', {
      enum: ['on_track', 'at_risk', 'off_track'],
    }),
    basis: object(
      {
        daysObserved: { type: 'integer' },
        daysLeft: { type: 'integer' },
        previousYearProfile: { type: 'boolean', description: 'shaped by the previous year’s month-by-month profile' },
        calendar: { type: 'boolean', description: 'the feed follows the working-day calendar' },
        method: str('pace, actual (the year is over) or none', { enum: ['pace', 'actual', 'none'] }),
        reason: str('why value is null', { enum: ['before_year', 'no_data'] }),
      },
      ['daysObserved', 'daysLeft', 'previousYearProfile', 'calendar', 'method'],
    ),
  },
  ['value', 'low', 'high', 'basis'],
);

const calendarYear: JsonSchema = object(
  {
    year: { type: 'integer' },
    status: str('official, provisional (shipped before the notice), override (entered here) or weekend_only', {
      enum: ['official', 'provisional', 'override', 'weekend_only'],
    }),
    notice: str('where a shipped year comes from'),
    holidays: dates('a day off (放假)'),
    workdays: dates('a 调休 working weekend day (上班)'),
  },
  ['year', 'status', 'holidays', 'workdays'],
);

export function projectionPaths(): Record<string, Record<string, JsonSchema>> {
  return {
    '/api/kpis/projection': {
      get: op({
        tag: 'kpis',
        summary: '预计全年: each count and rate projected to 31 December, with an 80 % interval and a status against the target',
        description:
          'Data after `asOf` is ignored. A count: observed to date plus the days left at the year’s own pace, shaped by the previous ' +
          'year’s monthly profile where Pulse holds one and by the working-day calendar; a rate: numerator and denominator projected ' +
          'the same way. After the year: the actual figures, zero-width interval; before it, or without data: `value` null and `basis.reason`.',
        who: 'manager',
        params: [
          queryParam('year', 'the year, YYYY', { type: 'integer', minimum: 2000, maximum: 2100 }, true),
          queryParam('asOf', 'the cut-off day, YYYY-MM-DD (default: today in TZ_REPORT)', DAY),
        ],
        ok: {
          description: '`{ year, asOf, kpis: { "<id>": { value, low, high, target?, status?, basis } } }`',
          json: object({
            year: { type: 'integer' },
            asOf: str('YYYY-MM-DD'),
            kpis: { type: 'object', additionalProperties: projectedKpi },
          }),
        },
      }),
    },
    '/api/admin/calendar/{year}': {
      get: op({
        tag: 'admin',
        summary: 'The year’s working-day calendar (工作日历): holidays and 调休 working weekends',
        who: 'admin',
        params: [yearPath],
        ok: { description: 'the override if entered, else the shipped year (weekend-only when none is shipped)', json: calendarYear },
      }),
      put: op({
        tag: 'admin',
        summary: 'Replace the year’s working-day calendar',
        description:
          'Every date must be YYYY-MM-DD within the year; a working day must be a Saturday or Sunday; no date in both lists. ' +
          'Every bad date is named (`details`); nothing is saved unless all are good. Audited.',
        who: 'admin',
        params: [yearPath],
        body: { json: object({ holidays: dates('a day off'), workdays: dates('a 调休 working weekend day') }) },
        ok: { description: 'as saved', json: calendarYear },
      }),
    },
  };
}
