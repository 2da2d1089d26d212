/**
 * What the supported floor (Chromium 87, client/browser-floor.ts) lacks, as data for the bundle test
 * (tests/contract/browser-floor.test.ts) and the browser test that removes these APIs before the page
 * runs (tests/browser/wall-polling.test.ts). Versions: the first Chrome with the feature, from MDN's
 * browser-compat-data (developer.mozilla.org, "Browser compatibility" of each page).
 */

/** A JavaScript runtime API newer than the floor: `Owner.member` (static), `.member` (prototype) or a global. */
export interface LateApi {
  name: string;
  chrome: number;
  /** `Object` for `Object.hasOwn(…)`; null for a prototype method, called as `x.member(…)`; `globalThis` for a global. */
  owner: string | null;
  member: string;
  /** Where a prototype method lives (expressions), to remove it in the browser test. */
  prototypes?: readonly string[];
  /**
   * A method name other objects have too (zrender's BoundingRect has `union`): the bundle test cannot
   * tell the calls apart; the browser test, which removes the API, still covers it.
   */
  common?: boolean;
}

export const LATE_APIS: readonly LateApi[] = [
  {
    name: 'Array.prototype.at',
    chrome: 92,
    owner: null,
    member: 'at',
    prototypes: ['Array.prototype', 'String.prototype', 'Object.getPrototypeOf(Int8Array.prototype)'],
  },
  { name: 'Object.hasOwn', chrome: 93, owner: 'Object', member: 'hasOwn' },
  { name: 'Array.prototype.findLast', chrome: 97, owner: null, member: 'findLast', prototypes: ['Array.prototype'] },
  { name: 'Array.prototype.findLastIndex', chrome: 97, owner: null, member: 'findLastIndex', prototypes: ['Array.prototype'] },
  { name: 'structuredClone', chrome: 98, owner: 'globalThis', member: 'structuredClone' },
  { name: 'crypto.randomUUID', chrome: 92, owner: null, member: 'randomUUID', prototypes: ['Crypto.prototype'] },
  { name: 'AbortSignal.timeout', chrome: 103, owner: 'AbortSignal', member: 'timeout' },
  { name: 'AbortSignal.any', chrome: 116, owner: 'AbortSignal', member: 'any' },
  { name: 'Array.prototype.toSorted', chrome: 110, owner: null, member: 'toSorted', prototypes: ['Array.prototype'] },
  { name: 'Array.prototype.toReversed', chrome: 110, owner: null, member: 'toReversed', prototypes: ['Array.prototype'] },
  { name: 'Array.prototype.toSpliced', chrome: 110, owner: null, member: 'toSpliced', prototypes: ['Array.prototype'] },
  { name: 'String.prototype.isWellFormed', chrome: 111, owner: null, member: 'isWellFormed', prototypes: ['String.prototype'] },
  { name: 'String.prototype.toWellFormed', chrome: 111, owner: null, member: 'toWellFormed', prototypes: ['String.prototype'] },
  { name: 'Object.groupBy', chrome: 117, owner: 'Object', member: 'groupBy' },
  { name: 'Map.groupBy', chrome: 117, owner: 'Map', member: 'groupBy' },
  { name: 'Promise.withResolvers', chrome: 119, owner: 'Promise', member: 'withResolvers' },
  { name: 'Array.fromAsync', chrome: 121, owner: 'Array', member: 'fromAsync' },
  { name: 'Set.prototype.union', chrome: 122, owner: null, member: 'union', prototypes: ['Set.prototype'], common: true },
  { name: 'Set.prototype.intersection', chrome: 122, owner: null, member: 'intersection', prototypes: ['Set.prototype'], common: true },
  { name: 'Set.prototype.difference', chrome: 122, owner: null, member: 'difference', prototypes: ['Set.prototype'], common: true },
  { name: 'Set.prototype.isSubsetOf', chrome: 122, owner: null, member: 'isSubsetOf', prototypes: ['Set.prototype'], common: true },
  { name: 'HTMLElement.prototype.checkVisibility', chrome: 105, owner: null, member: 'checkVisibility', prototypes: ['Element.prototype'] },
];

/**
 * An init script (a string, for Playwright's addInitScript) that deletes every API above, so a page in
 * today's Chromium lacks what Chromium 87 lacks: whatever the bundle calls must be polyfilled or guarded.
 */
export function removeLateApisScript(): string {
  const statements = LATE_APIS.flatMap((api) =>
    api.owner === null
      ? (api.prototypes ?? []).map((proto) => `try { delete ${proto}.${api.member}; } catch {}`)
      : [`try { delete ${api.owner}.${api.member}; } catch {}`],
  );
  return statements.join('\n');
}

/** A CSS feature that the caniuse data behind doiuse does not know, with its first Chrome. */
export interface LateCss {
  name: string;
  chrome: number;
  /** Matches a declaration `prop: value` (lower-case, value as written) that uses it. */
  declaration?: (prop: string, value: string) => boolean;
  /** Matches a selector that uses it. */
  selector?: RegExp;
  /** Matches an at-rule name that is it. */
  atRule?: string;
}

export const LATE_CSS: readonly LateCss[] = [
  { name: 'aspect-ratio', chrome: 88, declaration: (prop) => prop === 'aspect-ratio' },
  { name: 'overflow: clip', chrome: 90, declaration: (prop, value) => /^overflow(-[xy])?$/.test(prop) && /\bclip\b/.test(value) },
  { name: 'text-decoration-thickness', chrome: 89, declaration: (prop) => prop === 'text-decoration-thickness' },
  { name: 'accent-color', chrome: 93, declaration: (prop) => prop === 'accent-color' },
  { name: 'scrollbar-gutter', chrome: 94, declaration: (prop) => prop === 'scrollbar-gutter' },
  { name: 'hwb()', chrome: 101, declaration: (_prop, value) => /\bhwb\(/i.test(value) },
  {
    name: 'translate/rotate/scale properties',
    chrome: 104,
    declaration: (prop) => prop === 'translate' || prop === 'rotate' || prop === 'scale',
  },
  { name: 'color-mix()', chrome: 111, declaration: (_prop, value) => /\bcolor-mix\(/i.test(value) },
  { name: 'text-wrap', chrome: 114, declaration: (prop) => prop === 'text-wrap' || prop === 'text-wrap-mode' },
  { name: 'light-dark()', chrome: 123, declaration: (_prop, value) => /\blight-dark\(/i.test(value) },
  { name: '@starting-style', chrome: 117, atRule: 'starting-style' },
  { name: '@scope', chrome: 118, atRule: 'scope' },
];
