import { readFile, rename, writeFile } from 'node:fs/promises';
import { CROSS_REGION_ITEMS, PARTNER_REGIONS } from './simulator/catalogue.ts';

/**
 * What `npm run demo` (scripts/demo.ts) asks of Pulse's API as an administrator would — a session, the
 * reference data, a wall token — and its small state files under DATA_DIR.
 */

/** A JSON file's contents; null when it is missing or not JSON. */
export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Writes through a temporary file, so a crash never leaves half a file. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(value));
  await rename(`${path}.tmp`, path);
}

/** A manager's bearer token when the admin password is known (set, or generated at this first start). */
export async function managerToken(baseUrl: string, password: string | undefined): Promise<string | null> {
  if (!password) return null;
  return (await sendJson<{ token: string }>(baseUrl, 'POST', '/api/auth/login', null, { username: 'admin', password }))?.token ?? null;
}

/**
 * The bureau's 跨域通办 partners (15 跨省通办 + 3 长株潭) and its 139 items, as an administrator would enter
 * them, unless this store already has a partner list: the wall and the export then name real counts.
 */
export async function seedReferenceData(baseUrl: string, adminToken: string): Promise<void> {
  const existing = await getJson<{ items: unknown[] }>(baseUrl, '/api/admin/reference/cross-region-partners', adminToken);
  if (!existing || existing.items.length > 0) return;
  const put = (path: string, items: unknown[]) => sendJson(baseUrl, 'PUT', `/api/admin/reference/${path}`, adminToken, { items });
  await put('cross-region-partners', [...PARTNER_REGIONS]);
  await put(
    'cross-region-items',
    CROSS_REGION_ITEMS.map((item) => ({ ...item, scope: 'inter_provincial', addedAt: '2022-01-01' })),
  );
}

/**
 * The demo's wall screen token (DATA_DIR/demo-wall.json), created once with the admin's session and
 * reused on later runs while it still opens the wall; null when there is none and no admin session to make one.
 */
export async function demoWallToken(baseUrl: string, adminToken: string | null, path: string): Promise<string | null> {
  const saved = await readJson<{ token: string }>(path);
  if (saved && (await getJson(baseUrl, '/api/kpis?from=2000-01-01&to=2000-01-01', saved.token))) return saved.token;
  if (!adminToken) return null;
  const created = await sendJson<{ token: string }>(baseUrl, 'POST', '/api/admin/display-tokens', adminToken, {
    name: '演示大屏 demo wall',
  });
  if (created) await writeJson(path, { token: created.token });
  return created?.token ?? null;
}

/** Sends a JSON body; the parsed answer of a 2xx, or null for any other answer or a failed request. */
export async function sendJson<T>(
  baseUrl: string,
  method: 'POST' | 'PUT',
  path: string,
  token: string | null,
  body: unknown,
): Promise<T | null> {
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: JSON.stringify(body) });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

/** GETs with a bearer token; the parsed answer of a 2xx, or null for any other answer or a failed request. */
export async function getJson<T>(baseUrl: string, path: string, token: string): Promise<T | null> {
  try {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}
