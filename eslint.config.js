// ESLint flat config for Pulse after the one-core move (issue #15). TypeScript (typescript-eslint), Vue 3
// (eslint-plugin-vue), formatting left to Prettier (eslint-config-prettier turns off the rules it owns), and
// the import direction of ARCHITECTURE.md as `no-restricted-imports` patterns, one block per room:
//
//   shared/      ← everyone; imports nothing of ours but shared/ itself, and no Node built-in
//   core/        ← server/, workers/, all-in-one/, scripts/, bench/, tests/; never a shell
//   server/      HTTP + sockets over core; never workers/
//   workers/     BullMQ processors + schedulers over core; never server/
//   all-in-one/  starts server/ and workers/ in one process (the only room that may name both)
//   client/      the browser: shared/ only (never core/, a shell, or a Node built-in)
//   scripts/     CLIs over core; never a shell's internals
//
// Patterns match the specifier as written; every import of this code base is relative with its `.ts`
// suffix (or `@shared/…` in the client), so a folder name in the path is the room it reaches.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** `no-restricted-imports` that forbids reaching the named rooms (by a path segment) and, optionally, node:*. */
function only(message, rooms, { node = false, paths = [] } = {}) {
  const patterns = [{ regex: `(^|/)(${rooms.join('|')})/`, message }];
  if (node) patterns.push({ regex: '^node:', message: 'Node built-ins stay out of code that runs in the browser.' });
  return { 'no-restricted-imports': ['error', { patterns, paths }] };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'client/dist/', 'data/', 'coverage/', 'patches/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // The code base's own conventions (STYLE.md): unused names are an error unless they start with _.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // server/app.ts declares the live namespace before the routes whose closures read it at request time,
      // and assigns it once socket.io exists: a `let` on purpose.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Chinese typography: report titles, captions and table text put a full-width space (U+3000) between
      // a number and its title (图1, 附表1 …); in string and template text it is intended, in code not.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  { files: ['client/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['client/**/*.vue'],
    rules: {
      // Components are imported by file in <script setup>, never registered globally, so a one-word name
      // (views/*/index.vue, pages/feed.vue, modules/sparkline.vue) cannot clash with an HTML element.
      'vue/multi-word-component-names': 'off',
      // Props are declared with TypeScript types: an optional prop is `undefined` when left out, as its
      // type says; a default would only restate that (withDefaults is kept for booleans, false in Vue).
      'vue/require-default-prop': 'off',
    },
  },
  {
    // These regular expressions look for control characters on purpose: to refuse them in a record's text
    // (cleanText), to keep NUL out of generated CSV (the fuzzer), to strip ANSI colours from vitest output.
    files: ['core/feeds/fields.ts', 'scripts/reliability/fuzz/cases.ts', 'scripts/reliability/run-all.ts'],
    rules: { 'no-control-regex': 'off' },
  },

  // --- the import direction -----------------------------------------------------------------------------
  {
    files: ['shared/**'],
    rules: only(
      'shared/ runs in the browser and on Node alike: it imports only shared/.',
      ['core', 'server', 'workers', 'all-in-one', 'client', 'scripts', 'bench', 'tests'],
      { node: true },
    ),
  },
  {
    files: ['core/**'],
    rules: only('core/ is driven by the shells, never the other way: it imports core/ and shared/ only.', [
      'server',
      'workers',
      'all-in-one',
      'client',
      'scripts',
      'bench',
      'tests',
    ]),
  },
  {
    files: ['server/**'],
    rules: only('server/ is a thin shell over core/: it never imports workers/ (use core/).', [
      'workers',
      'all-in-one',
      'client',
      'scripts',
      'bench',
      'tests',
    ]),
  },
  // Routes reach Redis only through core's services (one context, built in server/server-process.ts).
  {
    files: ['server/routes/**'],
    rules: only(
      'server/ is a thin shell over core/: it never imports workers/ (use core/).',
      ['workers', 'all-in-one', 'client', 'scripts', 'bench', 'tests'],
      { paths: [{ name: 'ioredis', message: 'Routes never talk to Redis: ask a core service.' }] },
    ),
  },
  {
    files: ['workers/**'],
    rules: only('workers/ is a thin shell over core/: it never imports server/ (use core/).', [
      'server',
      'all-in-one',
      'client',
      'scripts',
      'bench',
      'tests',
    ]),
  },
  {
    files: ['all-in-one/**'],
    rules: only('all-in-one/ starts the shells; it imports their entry points, core/ and shared/.', [
      'client',
      'scripts',
      'bench',
      'tests',
    ]),
  },
  {
    files: ['client/src/**'],
    rules: only(
      'The client imports shared/ only (wire types, KPI definitions, chart options): never core/ or a shell.',
      ['core', 'server', 'workers', 'all-in-one', 'scripts', 'bench', 'tests'],
      { node: true },
    ),
  },
  {
    files: ['scripts/**'],
    rules: only("scripts/ use core/ and shared/, never a shell's internals (all-in-one/ for the demo).", [
      'server',
      'workers',
      'client',
      'bench',
    ]),
  },
  // The reliability harness is test code that lives in scripts/ (it also imports tests/support/): the fuzzer
  // starts a server, a worker and connectors in its own process per case, as the integration tests do.
  {
    files: ['scripts/reliability/**'],
    rules: only('scripts/reliability/ drives the shells like tests/ do, but never reaches the client or bench/.', ['client', 'bench']),
  },

  prettier,
);
