import type { FeedName } from './feed.ts';
import { ALL_FEED_DESCRIPTORS } from './index.ts';

/**
 * The breakdown dimensions of KPIS.md per feed (each descriptor's `dimensions`); bucket fields
 * `<field>|<dimension>=<value>` hold them.
 */
export const DIMENSIONS: Readonly<Record<FeedName, readonly string[]>> = Object.fromEntries(
  ALL_FEED_DESCRIPTORS.map((d) => [d.name, d.dimensions]),
) as Record<FeedName, readonly string[]>;

/** Every dimension any feed has. */
export const ALL_DIMENSIONS: readonly string[] = [...new Set(Object.values(DIMENSIONS).flat())];

/**
 * The console's drill-down paths (each descriptor's `drillPath`; category → street → department for the hotline, …): each level is
 * broken down within the values chosen above it. The workers keep, besides the single-dimension
 * breakdowns, one field per path prefix of two or more levels: `<field>|<dim>=<value>>…>` in the
 * day's path hashes (`dp2:`, `dp3:`, one per depth), so `groupBy=street&where=category:X` is a sum of stored counts.
 */
export const DRILL_PATHS: Readonly<Partial<Record<FeedName, readonly string[]>>> = Object.fromEntries(
  ALL_FEED_DESCRIPTORS.flatMap((d) => (d.drillPath ? [[d.name, d.drillPath]] : [])),
);

/** The characters encodeDimValue writes `%XX`. */
const STRUCTURAL = /[%|=@>\n]/;

/**
 * A dimension value as bucket field names hold it (`<field>|<dim>=<value>`, paths `…>dim=<value>`):
 * the characters that structure field names, and `%` itself, are written `%XX` (`a|b` → `a%7Cb`), so
 * distinct values stay distinct fields. Values without them are written as they are, as before.
 * (Stores written before this encoding had `_` for `|`, `=`, `@`, `>`: `npm run rebuild` rewrites them.)
 */
export function encodeDimValue(value: string): string {
  if (!STRUCTURAL.test(value)) return value; // most values: nothing to write differently
  return value.replace(/[%|=@>\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The value encodeDimValue wrote; any other `%` is read as itself. */
export function decodeDimValue(encoded: string): string {
  return encoded.replace(/%(25|7C|3D|40|3E|0A)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The path part of a field name: `category=城市管理>street=文艺路街道` (values through encodeDimValue). */
export function pathName(levels: readonly (readonly [dimension: string, value: string])[]): string {
  return levels.map(([dimension, value]) => `${dimension}=${encodeDimValue(value)}`).join('>');
}

/**
 * The feeds whose drill path starts with `dimensions` (the `where` dimensions, then the groupBy one),
 * in order; empty when no feed drills that way.
 */
export function feedsDrilling(dimensions: readonly string[]): FeedName[] {
  return (Object.entries(DRILL_PATHS) as [FeedName, readonly string[]][])
    .filter(([, path]) => dimensions.length <= path.length && dimensions.every((d, i) => path[i] === d))
    .map(([feed]) => feed);
}
