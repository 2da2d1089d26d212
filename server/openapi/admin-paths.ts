import { createUserBody, updateUserBody } from '../../core/services/user-service.ts';
import { alertSettingsSchema } from '../../core/services/alert-service.ts';
import { targetSchema } from '../../core/services/targets-service.ts';
import { SUPERVISED_KINDS } from '../../shared/console-types.ts';
import { MAX_BUREAU_NAME } from '../../core/services/bureau-service.ts';
import {
  BUDGET_FIELD_ZH,
  BUDGET_FIELDS,
  BUDGET_MAX_WAN,
  BUDGET_TEXT_FIELD_ZH,
  BUDGET_TEXT_FIELDS,
  BUDGET_TEXT_MAX,
} from '../../shared/budget.ts';
import { displayTokenBody } from '../routes/display-tokens.ts';
import { tableBody } from '../routes/console-xlsx.ts';
import {
  anyObject,
  feedPath,
  from,
  fromZod,
  list,
  object,
  operation as op,
  pathParam,
  queryParam,
  ref,
  str,
  to,
  XLSX,
  yearPath,
  type JsonSchema,
} from './operations.ts';

/** The budget body, from the same field lists and limits the validation (shared/budget.ts) uses. */
const BUDGET_AMOUNTS = Object.fromEntries(
  BUDGET_FIELDS.map((f) => [
    f,
    { type: 'number', minimum: 0, maximum: BUDGET_MAX_WAN, multipleOf: 0.01, description: `${BUDGET_FIELD_ZH[f]}（万元）` },
  ]),
);
const BUDGET_TEXTS = Object.fromEntries(
  BUDGET_TEXT_FIELDS.map((f) => [f, { type: 'string', maxLength: BUDGET_TEXT_MAX[f], description: BUDGET_TEXT_FIELD_ZH[f] }]),
);
const BUDGET_BODY = { ...object({ ...BUDGET_AMOUNTS, ...BUDGET_TEXTS }, [...BUDGET_FIELDS]), additionalProperties: false };
const BUDGET_RECORD = object({
  year: { type: 'integer' },
  ...BUDGET_AMOUNTS,
  ...BUDGET_TEXTS,
  executionRatePct: { type: 'number', description: '执行率 in percent, two decimals' },
  updatedAt: str('ISO instant of the last change'),
  updatedBy: str('who changed it last'),
});

/** The administration and console calls of GET /api/openapi.json (server/openapi/paths.ts has the rest). */

const REFERENCE_FILE = {
  multipart: {},
  description:
    'The spreadsheet the bureau keeps, as `file`: CSV (UTF-8 or GB18030) or XLSX (first sheet); headers in Chinese or English (FEEDS.md column names).',
};

function referencePaths(list_: 'partners' | 'items', entry: string): Record<string, JsonSchema> {
  const zh = list_ === 'partners' ? '合作地区' : '通办事项';
  const base = `/api/admin/reference/cross-region-${list_}`;
  const answer = { description: 'the list as stored', json: list(ref(entry)) };
  return {
    [base]: {
      get: op({ tag: 'reference', summary: `The 跨域通办 ${zh} list`, who: 'manager', ok: answer }),
      put: op({
        tag: 'reference',
        summary: `Replace the 跨域通办 ${zh} list`,
        description:
          'Every entry is checked; when any is refused (`details.rejected`: `[{ index, errors }]`), nothing is replaced. Audited.',
        who: 'admin',
        body: { json: list(ref(entry)) },
        ok: answer,
      }),
    },
    [`${base}.csv`]: {
      put: op({
        tag: 'reference',
        summary: `Replace the 跨域通办 ${zh} list from a CSV/XLSX file`,
        description:
          'The same replacement as the JSON call, from the spreadsheet. Every bad row is named in `details.rejected` (`[{ index, row, errors }]`, `row` as the spreadsheet shows it, header = 1); nothing is replaced unless every row is good. Audited.',
        who: 'admin',
        body: REFERENCE_FILE,
        ok: answer,
        errors: [413, 415],
      }),
    },
  };
}

export function adminPaths(): Record<string, Record<string, JsonSchema>> {
  return {
    ...referencePaths('partners', 'ReferencePartner'),
    ...referencePaths('items', 'ReferenceItem'),
    '/api/admin/targets/{year}': {
      get: op({
        tag: 'administration',
        summary: "The year's targets (年度指标值)",
        who: 'manager',
        params: [yearPath],
        ok: { description: 'targets by KPI id', json: { type: 'object', additionalProperties: fromZod(targetSchema) } },
      }),
      put: op({
        tag: 'administration',
        summary: "Replace the year's targets",
        who: 'admin',
        params: [yearPath],
        body: { json: { type: 'object', description: 'KPI id → target', additionalProperties: fromZod(targetSchema) } },
        ok: { description: 'as saved', json: { type: 'object', additionalProperties: fromZod(targetSchema) } },
      }),
    },
    '/api/admin/alerts': {
      get: op({
        tag: 'administration',
        summary: 'Alert thresholds, robot webhook, feed silence limits',
        who: 'manager',
        ok: { description: 'settings (credentials hidden from managers)', json: fromZod(alertSettingsSchema) },
      }),
      put: op({
        tag: 'administration',
        summary: 'Replace the alert settings',
        who: 'admin',
        body: { json: fromZod(alertSettingsSchema) },
        ok: { description: 'as saved', json: fromZod(alertSettingsSchema) },
      }),
    },
    '/api/admin/audit': {
      get: op({
        tag: 'administration',
        summary: 'The audit log, newest first',
        who: 'admin',
        params: [queryParam('limit', '1–1000 (default 100)', { type: 'integer' }), queryParam('before', 'an entry id: the page after it')],
        ok: {
          description: 'entries',
          json: object({ entries: { type: 'array', items: anyObject('{ id, at, user, action, target, details }') } }),
        },
      }),
    },
    '/api/admin/users': {
      get: op({
        tag: 'administration',
        summary: 'Users',
        who: 'admin',
        ok: { description: 'users', json: list(anyObject('{ username, role, disabled, createdAt }')) },
      }),
      post: op({
        tag: 'administration',
        summary: 'Create a user',
        who: 'admin',
        body: { json: fromZod(createUserBody) },
        ok: { status: 201, description: 'created', json: anyObject('the user') },
        errors: [409],
      }),
    },
    '/api/admin/users/{username}': {
      patch: op({
        tag: 'administration',
        summary: "Change a user's role, password or disabled flag",
        who: 'admin',
        params: [pathParam('username', 'the user')],
        body: { json: fromZod(updateUserBody) },
        ok: { description: 'the user', json: anyObject('the user') },
        errors: [404],
      }),
      delete: op({
        tag: 'administration',
        summary: 'Delete a user',
        who: 'admin',
        params: [pathParam('username', 'the user')],
        ok: { status: 204, description: 'deleted' },
        errors: [404],
      }),
    },
    '/api/admin/display-tokens': {
      get: op({
        tag: 'administration',
        summary: 'Display tokens for wall screens',
        who: 'admin',
        ok: { description: 'tokens', json: list(anyObject('{ id, name, createdAt, connected }')) },
      }),
      post: op({
        tag: 'administration',
        summary: 'Create a display token (the clear token and wall URL are shown once)',
        who: 'admin',
        body: { json: fromZod(displayTokenBody) },
        ok: { status: 201, description: 'created', json: anyObject('{ id, name, createdAt, token, wallUrl }') },
      }),
    },
    '/api/admin/display-tokens/{id}': {
      delete: op({
        tag: 'administration',
        summary: 'Revoke a display token; its screens are disconnected',
        who: 'admin',
        params: [pathParam('id', 'the token id')],
        ok: { status: 204, description: 'revoked' },
        errors: [404],
      }),
    },
    '/api/console/supervised': {
      get: op({
        tag: 'console',
        summary: 'The tickets behind the 四类督办 counts',
        who: 'manager',
        params: [
          queryParam('kind', 'which list', { type: 'string', enum: [...SUPERVISED_KINDS] }, true),
          from,
          to,
          queryParam('offset', 'rows to skip', { type: 'integer' }),
          queryParam('limit', '1–1000 (default 200)', { type: 'integer' }),
        ],
        ok: { description: 'tickets, without personal data', json: anyObject('{ total, items }') },
      }),
    },
    '/api/bureau': {
      get: op({
        tag: 'admin',
        summary: 'The bureau’s name (单位名称), a setting; empty when none is set',
        who: 'anyone',
        ok: { description: 'the name', json: object({ name: str('e.g. 长沙市芙蓉区行政审批服务局') }) },
      }),
    },
    '/api/admin/bureau': {
      put: op({
        tag: 'admin',
        summary: 'Set the bureau’s name (seeded from BUREAU_NAME at the first start). Audited.',
        who: 'admin',
        body: { json: object({ name: str('the name', { minLength: 1, maxLength: MAX_BUREAU_NAME }) }) },
        ok: { description: 'as saved', json: object({ name: str('the name') }) },
      }),
    },
    '/api/admin/budget/{year}': {
      get: op({
        tag: 'admin',
        summary: 'The year’s budget execution (年度预算执行情况) and the 自评表 texts',
        who: 'admin',
        params: [yearPath],
        ok: { description: 'as entered, with `executionRatePct`, `updatedAt`, `updatedBy`', json: BUDGET_RECORD },
        errors: [404],
      }),
      put: op({
        tag: 'admin',
        summary: 'Enter the year’s budget execution in 万元',
        description:
          'Amounts with at most 2 decimals; 基本支出 + 项目支出 = 全年执行数 ≤ 全年到位资金; 预算批复数 > 0. A refused body names each field (`details`: `[{ field, problem }]`). A text left out keeps its saved value. Audited.',
        who: 'admin',
        params: [yearPath],
        body: { json: BUDGET_BODY },
        ok: { description: 'as saved', json: BUDGET_RECORD },
      }),
    },
    '/api/console/failed-jobs': {
      get: op({
        tag: 'console',
        summary: 'Failed ingest batches',
        who: 'manager',
        ok: { description: 'batches', json: list(anyObject('{ feed, jobId, records, attempts, reason }')) },
      }),
    },
    '/api/console/failed-jobs/{feed}/{jobId}/retry': {
      post: op({
        tag: 'console',
        summary: 'Put a failed batch back on its queue (applies exactly once)',
        who: 'manager',
        params: [feedPath, pathParam('jobId', 'the batch')],
        ok: { status: 202, description: 'queued', json: object({ feed: str('feed'), jobId: str('batch'), state: str('waiting') }) },
        errors: [404],
      }),
    },
    '/api/console/xlsx': {
      post: op({
        tag: 'console',
        summary: 'A table the console shows, as XLSX',
        who: 'manager',
        body: { json: fromZod(tableBody) },
        ok: { description: 'the workbook', content: XLSX },
      }),
    },
  };
}
