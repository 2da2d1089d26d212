import type { ApiErrorBody, LoginResponse, SeriesInterval, SeriesResponse } from '@shared/api-types.ts';
import { useAuthStore } from './stores/auth.ts';
import { currentLocale, i18n } from './i18n.ts';

/** An error answer of the HTTP API: its status and the `{ error: { code, message, details? } }` body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/**
 * The UI language as `Accept-Language`, so the server's messages (errors, rejected records) come in the
 * language the user reads: Chinese first (`zh-CN`), English when the console is switched to it.
 */
export function acceptLanguage(): string {
  return currentLocale() === 'en' ? 'en' : 'zh-CN,zh;q=0.9';
}

/** fetch with the UI language; a network failure becomes an ApiError in the UI language (never the browser's English). */
export async function fetchInLanguage(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Accept-Language', acceptLanguage());
  try {
    return await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'network', i18n.global.t('console.errors.network'));
  }
}

/** An error answer without the API's error body (a proxy's 502, say), in the UI language. */
export function httpError(response: Response): ApiError {
  return new ApiError(response.status, `http_${response.status}`, i18n.global.t('console.errors.http', { status: response.status }));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Calls the API with the current bearer token. Resolves to the parsed JSON body of a 2xx answer; otherwise
 * rejects with an ApiError. A 401 on an authenticated call also drops the token, which shows the login.
 */
export async function apiRequest<T>(path: string, init: RequestInit = {}): Promise<T> {
  const auth = useAuthStore();
  const sentToken = auth.token;
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (sentToken) headers.set('Authorization', `Bearer ${sentToken}`);
  if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');

  const response = await fetchInLanguage(path, { ...init, headers });
  const body = await readJson(response);
  if (response.ok) {
    if (sentToken && auth.token === sentToken) auth.touch();
    return body as T;
  }

  // Only drop the token this request carried: a login that happened meanwhile stays.
  if (response.status === 401 && sentToken && auth.token === sentToken) auth.drop();
  if (isApiErrorBody(body)) {
    throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
  }
  throw httpError(response);
}

/** POST /api/auth/login; on success the session is kept by the auth store. */
export async function login(username: string, password: string): Promise<LoginResponse> {
  const response = await apiRequest<LoginResponse>('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username, password }),
  });
  useAuthStore().signIn(response);
  return response;
}

/** POST /api/auth/logout: the server ends the session at once; the token is forgotten whatever the answer. */
export async function logout(): Promise<void> {
  try {
    await apiRequest<null>('/api/auth/logout', { method: 'POST' });
  } catch {
    // Expired already, or the server is unreachable: forgetting the token is what is left to do.
  } finally {
    useAuthStore().drop();
  }
}

/** GET /api/kpis/series for the given KPI ids over local days `fromDay`..`toDay` (inclusive). */
export function fetchSeries(
  ids: readonly string[],
  fromDay: string,
  toDay: string,
  interval: SeriesInterval,
  signal?: AbortSignal,
): Promise<SeriesResponse> {
  const query = new URLSearchParams({ ids: ids.join(','), from: fromDay, to: toDay, interval });
  return apiRequest<SeriesResponse>(`/api/kpis/series?${query}`, { signal });
}
