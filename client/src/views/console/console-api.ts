import type { GroupedKpisResponse, RejectionReason, SeriesInterval, SeriesResponse } from '@shared/api-types.ts';
import type { AlertSettings } from '@shared/feeds/wall.ts';
import type {
  AlertSettingsBody,
  CrossRegionItem,
  CrossRegionPartner,
  DisplayToken,
  DisplayTokenCreated,
  ExportFormat,
  ExportStatus,
  ExportTemplate,
  FailedJobsResponse,
  ImportPreview,
  SupervisedKind,
  SupervisedListResponse,
  Target,
  UsersResponse,
  UserView,
} from '@shared/console-types.ts';
import type { ImportProgress } from '@shared/socket-events.ts';
import type { BudgetFigures, BudgetRecord, BudgetTexts } from '@shared/budget.ts';
import { apiRequest, ApiError, fetchInLanguage, httpError } from '../../api.ts';
import { useAuthStore } from '../../stores/auth.ts';

/** The console's calls to the HTTP API (API.md and the console's own routes); errors are ApiErrors. */

// The wire types are declared once in shared/ (the server's are the truth); re-exported for the console's modules.
export type { GroupedKpisResponse, KpiGroup } from '@shared/api-types.ts';
export type { AlertThreshold as Threshold, AlertSettings } from '@shared/feeds/wall.ts';
export type {
  CrossRegionItem as CatalogueItem,
  CrossRegionPartner as Partner,
  DisplayToken,
  ExportStatus,
  ExportTemplate,
  Target,
} from '@shared/console-types.ts';

const json = (body: unknown): RequestInit => ({ body: JSON.stringify(body) });

const recent = new Map<string, Promise<unknown>>();
/** How long an answer is reused: long enough for a prefetch to meet the page that asks, short enough never to look stale. */
const REUSE_MS = 3_000;

/**
 * One request for the same GET at about the same time: a year's 环比 and 同比 are the same period, and
 * the overview's figures are asked for while its code still loads (prefetch.ts).
 */
function sharedGet<T>(path: string): Promise<T> {
  let pending = recent.get(path) as Promise<T> | undefined;
  if (!pending) {
    pending = apiRequest<T>(path);
    recent.set(path, pending);
    const forget = () => setTimeout(() => recent.get(path) === pending && recent.delete(path), REUSE_MS);
    pending.then(forget, () => recent.delete(path));
  }
  return pending;
}

/** GET /api/kpis for local days from..to, optionally grouped by a dimension within a drill-down (`where`). */
export function fetchKpis(
  from: string,
  to: string,
  groupBy?: string,
  where: readonly [string, string][] = [],
): Promise<GroupedKpisResponse> {
  const query = new URLSearchParams({ from, to });
  if (groupBy) query.set('groupBy', groupBy);
  for (const [dim, value] of where) query.append('where', `${dim}:${value}`);
  return sharedGet<GroupedKpisResponse>(`/api/kpis?${query}`);
}

export function fetchSeries(ids: readonly string[], from: string, to: string, interval: SeriesInterval): Promise<SeriesResponse> {
  const query = new URLSearchParams({ ids: ids.join(','), from, to, interval });
  return apiRequest<SeriesResponse>(`/api/kpis/series?${query}`);
}

export function fetchSupervised(kind: SupervisedKind, from: string, to: string, offset = 0, limit = 200): Promise<SupervisedListResponse> {
  const query = new URLSearchParams({ kind, from, to, offset: String(offset), limit: String(limit) });
  return apiRequest<SupervisedListResponse>(`/api/console/supervised?${query}`);
}

/** GET /api/feeds/health (shape in core/connectors/config.ts). */
export function fetchFeedHealth<T>(): Promise<T> {
  return apiRequest<T>('/api/feeds/health');
}

export function fetchIngestStatus(): Promise<{
  idle: boolean;
  feeds: Record<string, { waiting: number; active: number; delayed: number; failed: number }>;
}> {
  return apiRequest('/api/ingest/status');
}

export const fetchFailedJobs = () => apiRequest<FailedJobsResponse>('/api/console/failed-jobs');
export const retryFailedJob = (feed: string, jobId: string) =>
  apiRequest<{ state: string }>(`/api/console/failed-jobs/${encodeURIComponent(feed)}/${encodeURIComponent(jobId)}/retry`, {
    method: 'POST',
  });

/** POSTs (or PUTs) a multipart form (the browser sets its boundary); the answer as apiRequest gives it. */
async function postForm<T>(path: string, form: FormData, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
  const auth = useAuthStore();
  const sentToken = auth.token;
  const response = await fetchInLanguage(path, {
    method,
    body: form,
    headers: sentToken ? { Authorization: `Bearer ${sentToken}` } : {},
  });
  const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
  if (response.ok) return body as T;
  if (response.status === 401 && sentToken && auth.token === sentToken) auth.drop();
  if (!body?.error) throw httpError(response);
  throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
}

/** A CSV's first 256 KB is enough to see its header; an XLSX must be sent whole (its index is at the end). */
const PREVIEW_CSV_BYTES = 256 * 1024;

export function previewImport(feed: string, file: File): Promise<ImportPreview> {
  const form = new FormData();
  form.set('feed', feed);
  const isCsv = !/\.xlsx$/i.test(file.name);
  form.set('file', isCsv ? file.slice(0, PREVIEW_CSV_BYTES) : file, file.name);
  return postForm('/api/imports/preview', form);
}

export function startImport(feed: string, file: File, columnMap: Record<string, string>): Promise<{ importId: string }> {
  const form = new FormData();
  form.set('feed', feed);
  if (Object.keys(columnMap).length > 0) form.set('columnMap', JSON.stringify(columnMap));
  form.set('file', file, file.name);
  return postForm('/api/imports', form);
}

export const fetchImport = (importId: string) =>
  apiRequest<ImportProgress & { rejected: { row: number; errors: string[]; reasons: RejectionReason[] }[] }>(
    `/api/imports/${encodeURIComponent(importId)}?limit=20`,
  );

/** Downloads a file the API serves to a bearer token (the browser cannot add the header to a plain link). */
export async function downloadFile(path: string, fallbackName: string, init: RequestInit = {}): Promise<void> {
  const token = useAuthStore().token;
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  const response = await fetchInLanguage(path, { ...init, headers });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (!body?.error) throw httpError(response);
    throw new ApiError(response.status, body.error.code, body.error.message);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A table as the console shows it, downloaded as XLSX (POST /api/console/xlsx). */
export function downloadTable(
  fileName: string,
  sheet: string,
  columns: string[],
  rows: (string | number | boolean | null)[][],
): Promise<void> {
  return downloadFile('/api/console/xlsx', `${fileName}.xlsx`, {
    method: 'POST',
    body: JSON.stringify({ fileName, sheet, columns, rows }),
  });
}

// Administration
export const fetchUsers = () => apiRequest<UsersResponse>('/api/admin/users');
export const createUser = (body: { username: string; password: string; role: UserView['role'] }) =>
  apiRequest<UserView>('/api/admin/users', { method: 'POST', ...json(body) });
export const updateUser = (username: string, body: Partial<{ role: UserView['role']; password: string; disabled: boolean }>) =>
  apiRequest<UserView>(`/api/admin/users/${encodeURIComponent(username)}`, { method: 'PATCH', ...json(body) });
export const deleteUser = (username: string) => apiRequest<null>(`/api/admin/users/${encodeURIComponent(username)}`, { method: 'DELETE' });

export const fetchTargets = (year: number) => apiRequest<Record<string, Target>>(`/api/admin/targets/${year}`);
export const saveTargets = (year: number, targets: Record<string, Target>) =>
  apiRequest<Record<string, Target>>(`/api/admin/targets/${year}`, { method: 'PUT', ...json(targets) });
/** The year's budget execution and the 自评表's texts; null when not entered (404). */
export const fetchBudget = (year: number) =>
  apiRequest<BudgetRecord>(`/api/admin/budget/${year}`).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  });
export const saveBudget = (year: number, body: BudgetFigures & Partial<BudgetTexts>) =>
  apiRequest<BudgetRecord>(`/api/admin/budget/${year}`, { method: 'PUT', ...json(body) });

export const fetchPartners = () => apiRequest<{ items: CrossRegionPartner[] }>('/api/admin/reference/cross-region-partners');
export const savePartners = (items: CrossRegionPartner[]) =>
  apiRequest<unknown>('/api/admin/reference/cross-region-partners', { method: 'PUT', ...json({ items }) });
export const fetchItems = () => apiRequest<{ items: CrossRegionItem[] }>('/api/admin/reference/cross-region-items');
export const saveItems = (items: CrossRegionItem[]) =>
  apiRequest<unknown>('/api/admin/reference/cross-region-items', { method: 'PUT', ...json({ items }) });

/** PUT …/cross-region-{partners|items}.csv: replaces the list from a CSV/XLSX file; a bad file's ApiError has `details.rejected` ([{ row, errors }]). */
export function uploadReference<T>(list: 'partners' | 'items', file: File): Promise<{ items: T[] }> {
  const form = new FormData();
  form.set('file', file, file.name);
  return postForm(`/api/admin/reference/cross-region-${list}.csv`, form, 'PUT');
}

export const fetchDisplayTokens = () => apiRequest<{ items: DisplayToken[] }>('/api/admin/display-tokens');
export const createDisplayToken = (name: string) =>
  apiRequest<DisplayTokenCreated>('/api/admin/display-tokens', { method: 'POST', ...json({ name }) });
export const revokeDisplayToken = (id: string) =>
  apiRequest<null>(`/api/admin/display-tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const fetchAlerts = () => apiRequest<AlertSettings>('/api/admin/alerts');
export const saveAlerts = (settings: AlertSettingsBody) =>
  apiRequest<AlertSettings>('/api/admin/alerts', { method: 'PUT', ...json(settings) });

export const fetchTemplates = () => apiRequest<{ items: ExportTemplate[] }>('/api/admin/export-templates');
export const saveTemplate = (id: string, content: string) =>
  apiRequest<ExportTemplate>(`/api/admin/export-templates/${encodeURIComponent(id)}`, { method: 'PUT', ...json({ content }) });
export const resetTemplate = (id: string) =>
  apiRequest<null>(`/api/admin/export-templates/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const startExport = (from: string, to: string, formats: ExportFormat[]) =>
  apiRequest<{ exportId: string }>('/api/exports', { method: 'POST', ...json({ from, to, formats }) });
export const fetchExport = (exportId: string) => apiRequest<ExportStatus>(`/api/exports/${encodeURIComponent(exportId)}`);
