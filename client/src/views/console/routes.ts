import type { RouteRecordRaw } from 'vue-router';

/**
 * The console's pages under `/console` (each loaded on demand). `meta.period`: the page follows the
 * period filter in the header; `meta.roles`: only these roles (administration).
 */
export const consoleChildRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'console',
    component: () => import('./pages/overview.vue'),
    meta: { period: true },
    // The figures are asked for while the page's code loads (a small module, loaded on its own).
    beforeEnter: (to) => {
      void import('./prefetch.ts').then((m) => m.prefetchOverview(to.query));
    },
  },
  {
    path: 'feeds/:feed(hotline|online|hall|crossRegion|evaluations)',
    name: 'console-feed',
    component: () => import('./pages/feed.vue'),
    meta: { period: true },
  },
  { path: 'supervised', name: 'console-supervised', component: () => import('./pages/supervised.vue'), meta: { period: true } },
  { path: 'hotspots', name: 'console-hotspots', component: () => import('./pages/hotspots.vue'), meta: { period: true } },
  { path: 'health', name: 'console-health', component: () => import('./pages/health.vue') },
  { path: 'imports', name: 'console-imports', component: () => import('./pages/imports.vue') },
  { path: 'exports', name: 'console-exports', component: () => import('./pages/exports.vue'), meta: { period: true } },
  { path: 'api', name: 'console-api', component: () => import('./pages/api-docs.vue') },
  { path: 'admin/:tab?', name: 'console-admin', component: () => import('./pages/admin.vue'), meta: { roles: ['admin'] } },
];
