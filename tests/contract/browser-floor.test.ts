import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse, type Node } from 'acorn';
import { ancestor } from 'acorn-walk';
import doiuse from 'doiuse';
import postcss, { type AtRule, type ChildNode, type Container, type Declaration, type Rule } from 'postcss';
import { describe, expect, it } from 'vitest';
import { FLOOR_BROWSERSLIST, FLOOR_CHROMIUM } from '../../client/browser-floor.ts';
import { POLYFILLED } from '../../client/src/polyfills.ts';
import { LATE_APIS, LATE_CSS } from '../support/browser-floor.ts';

/**
 * The built client (`npm run build`, client/dist) against the supported floor, Chromium 87: every
 * chunk parses at its syntax level, calls no runtime API it lacks unless polyfilled, and its CSS uses
 * no feature it lacks outside `@supports` (caniuse data through doiuse, plus LATE_CSS).
 */

const assetsDir = new URL('../../client/dist/assets/', import.meta.url);
if (!existsSync(assetsDir)) throw new Error('client/dist is missing: run `npm run build` first');
const assets = readdirSync(assetsDir);
const read = (file: string) => readFileSync(new URL(file, assetsDir), 'utf8');
const jsFiles = assets.filter((f) => f.endsWith('.js'));
const cssFiles = assets.filter((f) => f.endsWith('.css'));

type AnyNode = Node & Record<string, unknown>;
const loose = (n: unknown) => n as AnyNode;
const isFunction = (n: Node) => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
const keyName = (n: AnyNode): string | null => {
  const key = n.key as AnyNode | undefined;
  return key?.type === 'Identifier' ? (key.name as string) : null;
};

/**
 * ES2022 syntax that Chromium 87 does not parse (first Chrome in brackets; MDN browser-compat-data).
 * acorn at ecmaVersion 2022 refuses anything newer (ES2023+: `using`, import attributes, RegExp `v`
 * flag, duplicate named groups, …); the rest of ES2022 (class fields 72, private methods 84) and all of
 * ES2021 (logical assignment 85) is in Chromium 87.
 */
function syntaxBeyondFloor(source: string): string[] {
  const ast = parse(source, { ecmaVersion: 2022, sourceType: 'module' });
  const found: string[] = [];
  const at = (n: Node, what: string) => found.push(`${what} at ${n.start}`);
  const topLevel = (ancestors: Node[]) => !ancestors.some(isFunction);
  const regExpFlags = (n: AnyNode) => {
    const [, flags] = n.arguments as AnyNode[];
    if ((n.callee as AnyNode).name === 'RegExp' && typeof flags?.value === 'string' && flags.value.includes('d'))
      at(n, 'RegExp `d` flag (Chrome 90)');
  };
  ancestor(ast, {
    StaticBlock: (n) => at(n, 'class static block (Chrome 94)'),
    BinaryExpression: (n) => {
      if ((n.left as Node).type === 'PrivateIdentifier') at(n, '`#x in obj` (Chrome 91)');
    },
    AwaitExpression: (n, _state, ancestors) => {
      if (topLevel(ancestors)) at(n, 'top-level await (Chrome 89)');
    },
    ForOfStatement: (n, _state, ancestors) => {
      if (n.await && topLevel(ancestors)) at(n, 'top-level for await (Chrome 89)');
    },
    Literal: (n) => {
      const regex = (n as AnyNode).regex as { flags: string } | undefined;
      if (regex?.flags.includes('d')) at(n, 'RegExp `d` flag (Chrome 90)');
    },
    // oxc turns a `/…/d` literal into `new RegExp("…", "d")`, which still throws in Chrome 87.
    NewExpression: (n) => regExpFlags(loose(n)),
    CallExpression: (n) => regExpFlags(loose(n)),
    ImportSpecifier: (n) => {
      if ((n.imported as Node).type === 'Literal') at(n, 'string import name (Chrome 88)');
    },
    ExportSpecifier: (n) => {
      if ((n.exported as Node).type === 'Literal' || (n.local as Node).type === 'Literal') at(n, 'string export name (Chrome 88)');
    },
  });
  return found;
}

/**
 * Calls of LATE_APIS in a chunk. A method that forwards to the method of its own name (Vue's reactive
 * arrays define `toSorted(…) { return raw(this).toSorted(…) }`) runs only when something calls that
 * method, which is found where it happens.
 */
function lateApiCalls(source: string): string[] {
  const ast = parse(source, { ecmaVersion: 2022, sourceType: 'module' });
  const found: string[] = [];
  ancestor(ast, {
    CallExpression: (n, _state, ancestors) => {
      const callee = loose(n.callee);
      for (const api of LATE_APIS) {
        if (api.common) continue;
        let hit = false;
        if (api.owner === 'globalThis') hit = callee.type === 'Identifier' && callee.name === api.member;
        else if (callee.type === 'MemberExpression' && !callee.computed && (callee.property as AnyNode).name === api.member) {
          const object = callee.object as AnyNode;
          hit = api.owner === null || (object.type === 'Identifier' && object.name === api.owner);
        }
        if (!hit || POLYFILLED.includes(api.name as (typeof POLYFILLED)[number])) continue;
        if (
          api.owner === null &&
          ancestors.some((a) => (a.type === 'Property' || a.type === 'MethodDefinition') && keyName(loose(a)) === api.member)
        ) {
          continue;
        }
        found.push(
          `${api.name} (Chrome ${api.chrome}) at ${n.start}: ${source.slice(Math.max(0, n.start - 40), n.end).replace(/\s+/g, ' ')}`,
        );
      }
    },
  });
  return found;
}

/**
 * caniuse features Chromium 87 has only in part, each reviewed: what it lacks, and why our CSS does not
 * depend on it. A feature partly supported that is not listed here fails the test until it is reviewed.
 */
const REVIEWED_PARTIAL: Record<string, string> = {
  'css-overflow': 'lacks only `overflow: clip` (90), which LATE_CSS refuses on its own',
  'css-logical-props': 'lacks only logical values of some properties; `inset` and margin/padding-inline are in 87',
  'css-masks': 'unprefixed `mask` comes in 120; Element Plus and the wall write `-webkit-mask` beside it, which 87 uses',
  'css-scrollbar': '`scrollbar-width` comes in 121; 87 ignores it and the `::-webkit-scrollbar` rules beside it apply',
  'css-sticky': 'lacks sticky table headers (<thead>/<tr>, 91); Element Plus makes fixed table columns sticky on cells, which 87 supports',
  'css-clip-path': 'lacks `clip-path: path()`/url() on HTML; basic shapes (inset, polygon) are supported',
  'css-display-contents': 'buttons and accessibility of `display: contents` (fixed later); layout is supported',
};

/** caniuse features Chromium 87 lacks whose use degrades to a stated fallback, reviewed. */
const DEGRADES: Record<string, string> = {
  'extended-system-fonts': '`ui-monospace` is one name in a font list: 87 skips to the next family',
};

interface CssFinding {
  file: string;
  what: string;
  where: string;
}

/** Inside `@supports (…)`, a feature is guarded: a browser without it skips the block. */
function guarded(node: ChildNode | Container | undefined): boolean {
  for (let n = node?.parent; n; n = n.parent) if (n.type === 'atrule' && (n as AtRule).name === 'supports') return true;
  return false;
}

function where(node: ChildNode): string {
  return node.toString().replace(/\s+/g, ' ').slice(0, 100);
}

function cssBeyondFloor(file: string, source: string): { failures: CssFinding[]; partial: Set<string> } {
  const failures: CssFinding[] = [];
  const partial = new Set<string>();
  const plugin = doiuse({
    browsers: [FLOOR_BROWSERSLIST],
    onFeatureUsage: ({ feature, featureData, usage }) => {
      const node = usage as ChildNode;
      if (guarded(node)) return;
      const missing = Boolean((featureData as { missing?: string } | undefined)?.missing);
      if (missing ? feature in DEGRADES : feature in REVIEWED_PARTIAL) {
        if (!missing) partial.add(feature);
        return;
      }
      failures.push({ file, what: `${feature} (${missing ? 'missing' : 'partial'} in Chrome ${FLOOR_CHROMIUM})`, where: where(node) });
    },
  });
  const root = postcss([plugin]).process(source, { from: file }).root;
  root.walk((node) => {
    if (guarded(node)) return;
    for (const late of LATE_CSS) {
      const hit =
        (node.type === 'decl' && late.declaration?.((node as Declaration).prop.toLowerCase(), (node as Declaration).value)) ||
        (node.type === 'rule' && late.selector?.test((node as Rule).selector)) ||
        (node.type === 'atrule' && (node as AtRule).name.toLowerCase() === late.atRule);
      if (hit) failures.push({ file, what: `${late.name} (Chrome ${late.chrome})`, where: where(node) });
    }
  });
  return { failures, partial };
}

describe(`the built client against the floor, Chromium ${FLOOR_CHROMIUM}`, () => {
  it('has JavaScript and CSS chunks to check', () => {
    expect(jsFiles.length).toBeGreaterThan(5);
    expect(cssFiles.length).toBeGreaterThan(3);
  });

  it('parses every JavaScript chunk at the floor’s syntax level', () => {
    const beyond = Object.fromEntries(jsFiles.map((f) => [f, syntaxBeyondFloor(read(f))] as const).filter(([, found]) => found.length));
    expect(beyond).toEqual({});
  });

  it('calls no runtime API newer than the floor, unless client/src/polyfills.ts provides it', () => {
    const calls = Object.fromEntries(jsFiles.map((f) => [f, lateApiCalls(read(f))] as const).filter(([, found]) => found.length));
    expect(calls).toEqual({});
  });

  it('ships the polyfills: each polyfilled API is defined in the entry chunk', () => {
    const html = readFileSync(new URL('../../client/dist/index.html', import.meta.url), 'utf8');
    const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
    expect(entry, 'index.html names its entry chunk').toBeDefined();
    for (const name of POLYFILLED) expect(read(entry!).includes(name.split('.').at(-1)!), `${name} in ${entry}`).toBe(true);
  });

  it('uses no CSS feature beyond the floor outside @supports', () => {
    const failures: CssFinding[] = [];
    const partial = new Set<string>();
    for (const file of cssFiles) {
      const result = cssBeyondFloor(file, read(file));
      failures.push(...result.failures);
      for (const f of result.partial) partial.add(f);
    }
    expect(failures).toEqual([]);
    // The reviewed list stays true: an entry that no longer occurs is dropped from it.
    expect([...partial].sort()).toEqual(Object.keys(REVIEWED_PARTIAL).sort());
  });

  it('would notice: the checks find what the floor lacks', () => {
    expect(syntaxBeyondFloor('class A { static { this.x = 1; } } await 0;')).toHaveLength(2);
    expect(syntaxBeyondFloor('class A { #x; static is(o) { return #x in o; } }')).toHaveLength(1);
    expect(syntaxBeyondFloor('/a/d.exec(s); new RegExp("a", "d"); RegExp("a", "gd");')).toHaveLength(3);
    expect(() => syntaxBeyondFloor('const r = /a/v;')).toThrow();
    expect(lateApiCalls('[1].at(-1); structuredClone({}); Object.groupBy([], String);')).toHaveLength(3);
    const css = cssBeyondFloor('probe.css', 'body:has(.x){color:red} .a{aspect-ratio:1} @supports (aspect-ratio:1){.b{aspect-ratio:1}}');
    expect(css.failures.map((f) => f.what.split(' ')[0])).toEqual(['css-has', 'aspect-ratio']);
  });
});
