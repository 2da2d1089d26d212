import { createHash } from 'node:crypto';
import { parseInstant } from '../../shared/time.ts';

/**
 * What an HTTP connector does to a source's JSON before the feed module sees it: find values by dotted
 * path, rename the source's fields to the contract's, and fingerprint a record as the source sent it.
 */

/** The value at a dotted path (`data.items`, `rows.0.id`); '' is the value itself; undefined when absent. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Renames fields by `fieldMap` (source path → contract field). Fields the map does not name pass with
 * their own names — the feed module recognises English and Chinese contract names and ignores others.
 * A mapped value wins over a passed one of the same name. Non-objects are returned as they are (the
 * feed module refuses them with its own reason).
 */
export function mapFields(item: unknown, fieldMap: Readonly<Record<string, string>>): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const mappedSources = new Set(Object.keys(fieldMap).map((path) => path.split('.')[0]!));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!mappedSources.has(key)) out[key] = value;
  for (const [source, target] of Object.entries(fieldMap)) {
    const value = getPath(item, source);
    if (value !== undefined) out[target] = value;
  }
  return out;
}

/** A short digest of a record exactly as the source sent it: the same record twice has the same fingerprint. */
export function fingerprint(item: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(item) ?? 'undefined')
    .digest('base64url')
    .slice(0, 16);
}

/**
 * A cursor time: epoch milliseconds from a number, or from ISO 8601 text (local time in `tz` without an
 * offset). Null when absent or unreadable — such a record does not move a since cursor.
 */
export function cursorTimeMs(value: unknown, tz: string): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') return parseInstant(value.trim(), tz);
  return null;
}
