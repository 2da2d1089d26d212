import { createRouter, createWebHistory, type LocationQuery } from 'vue-router';
import { useAuthStore } from './stores/auth.ts';
import { consoleChildRoutes } from './views/console/routes.ts';

/**
 * Two faces: the wall (`/wall`, a display token in its URL, no chrome) and the console (`/console/…`,
 * managers and administrators). `/` sends each principal to its face; pages load on demand.
 */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', redirect: (to) => homeFor(to.query) },
    { path: '/login', name: 'login', component: () => import('./views/login/index.vue') },
    { path: '/wall', name: 'wall', component: () => import('./views/wall/index.vue') },
    {
      path: '/console',
      component: () => import('./views/console/index.vue'),
      meta: { roles: ['manager', 'admin'] },
      children: consoleChildRoutes,
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

/** The landing page of whoever is signed in; query parameters (a wall's token, its playlist) travel along. */
function homeFor(query: LocationQuery) {
  const auth = useAuthStore();
  if (!auth.isSignedIn) return { path: '/login', query };
  return { path: auth.role === 'manager' || auth.role === 'admin' ? '/console' : '/wall', query };
}

router.beforeEach((to) => {
  const auth = useAuthStore();
  if (to.name === 'login') return auth.isSignedIn && !to.query.redirect ? { name: 'home' } : true;
  if (!auth.isSignedIn) return { name: 'login', query: { redirect: to.fullPath } };
  // Every level's roles must admit the principal (the console admits managers, its administration only admins).
  const refused = to.matched.some((r) => {
    const roles = r.meta.roles as string[] | undefined;
    // A URL token's role is known only after the first answer; the server refuses what it may not see anyway.
    return roles !== undefined && auth.role !== null && !roles.includes(auth.role);
  });
  if (refused) return auth.role === 'manager' ? { name: 'console' } : { name: 'wall', query: to.query };
  return true;
});
