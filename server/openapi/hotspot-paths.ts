import { from, int, object, operation as op, pathParam, str, to, type JsonSchema } from './operations.ts';
import { REVIEW_DEPARTMENT_MAX, REVIEW_NOTE_MAX } from '../../core/analytics/hotspot-store.ts';

const nullableString = (description: string): JsonSchema => ({ type: ['string', 'null'], description });

/** One hotspot (shared/analytics/hotspots.ts Hotspot). */
const hotspot: JsonSchema = object(
  {
    id: str('stable id: the same rising problem keeps it while active (a re-raise soon after its end extends it)'),
    category: str('诉求类别; absent for a street across categories'),
    street: str('街道; absent for a category across the district'),
    start: str('when the window that raised it began (ISO instant)', { format: 'date-time' }),
    end: nullableString('when it stopped being active (ISO instant); null while active'),
    raisedAt: str('when it was raised (ISO instant)', { format: 'date-time' }),
    observed: int('tickets signed in the window'),
    expected: { type: 'number', description: 'what the series’ own history predicted for that window' },
    score: { type: 'number', description: '−log10 of the upper-tail p-value of the observed count' },
    level: { type: 'string', enum: ['黄', '橙', '红'] },
    ticketIds: { type: 'array', items: { type: 'string' }, description: 'the tickets behind it' },
    review: object(
      {
        state: { type: 'string', enum: ['new', 'acknowledged', 'assigned', 'closed'] },
        department: str('承办部门 (assigned)'),
        note: str('研判说明 (closed)'),
        by: str('who'),
        at: str('when (ISO instant)'),
      },
      ['state'],
    ),
  },
  ['id', 'start', 'end', 'raisedAt', 'observed', 'expected', 'score', 'level', 'ticketIds', 'review'],
);

const reviewBody: JsonSchema = {
  oneOf: [
    object({ action: { const: 'acknowledge' } }),
    object({ action: { const: 'assign' }, department: str('承办部门', { minLength: 1, maxLength: REVIEW_DEPARTMENT_MAX }) }),
    object({ action: { const: 'close' }, note: str('研判说明', { minLength: 1, maxLength: REVIEW_NOTE_MAX }) }),
  ],
};

/** 未诉先办 (ANALYTICS.md, API.md v2): core/analytics/, server/routes/hotspots.ts. */
export function hotspotPaths(): Record<string, Record<string, JsonSchema>> {
  return {
    '/api/hotline/hotspots': {
      get: op({
        tag: 'kpis',
        summary: '未诉先办 hotspots active at some time in the period',
        description:
          'A hotspot is a (category, street), a category or a street whose tickets signed in a recent window (24 h or 48 h) are far above what its own history predicts for that window (docs/ARCHITECTURE.md "Hotspots").',
        who: 'readers',
        params: [from, to],
        ok: { description: 'the hotspots, by start', json: object({ hotspots: { type: 'array', items: hotspot } }) },
      }),
    },
    '/api/hotline/hotspots/{id}/review': {
      post: op({
        tag: 'kpis',
        summary: '研判: acknowledge, assign to a department, or close with a note (audited)',
        description: 'Acknowledge only a new hotspot; nothing once closed (409).',
        who: 'manager',
        params: [pathParam('id', 'the hotspot')],
        body: { json: reviewBody },
        ok: { description: 'the hotspot with its new review', json: hotspot },
        errors: [404, 409],
      }),
    },
  };
}
