import type { LocationQuery } from 'vue-router';

/** The wall's screens, in default playlist order. */
export const WALL_SCREENS = ['hotline', 'services'] as const;
export type WallScreen = (typeof WALL_SCREENS)[number];

/** Seconds a screen stays up when none is given; the least a URL may ask for. */
export const DEFAULT_ROTATE_SECONDS = 30;
export const MIN_ROTATE_SECONDS = 2;

/** What a wall's URL configures: `?screens=hotline,services&rotateSeconds=30&kiosk=1&title=…`. */
export interface WallOptions {
  /** The playlist, in order; unknown names are dropped, none left means all screens. */
  screens: WallScreen[];
  rotateMs: number;
  /** No chrome: no language toggle, no cursor, no scrollbars. */
  kiosk: boolean;
  /** The title bar's name; null for the default (the bureau's name, a setting, and 政务服务效能监测). */
  title: string | null;
}

function first(value: LocationQuery[string] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function isWallScreen(name: string): name is WallScreen {
  return (WALL_SCREENS as readonly string[]).includes(name);
}

/** Reads the wall's options from the URL query; anything malformed falls back to its default. */
export function wallOptionsOf(query: LocationQuery): WallOptions {
  const listed = (first(query.screens) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(isWallScreen);
  const screens = listed.length > 0 ? [...new Set(listed)] : [...WALL_SCREENS];
  const seconds = Number(first(query.rotateSeconds) ?? DEFAULT_ROTATE_SECONDS);
  const rotateSeconds = Number.isFinite(seconds) ? Math.max(MIN_ROTATE_SECONDS, seconds) : DEFAULT_ROTATE_SECONDS;
  const kiosk = ['1', 'true', 'yes'].includes((first(query.kiosk) ?? '').toLowerCase());
  const title = first(query.title);
  return { screens, rotateMs: rotateSeconds * 1000, kiosk, title: title ? title.slice(0, 40) : null };
}
