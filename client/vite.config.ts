import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { FLOOR_BUILD_TARGET } from './browser-floor.ts';

const clientDir = fileURLToPath(new URL('.', import.meta.url));
const sharedDir = fileURLToPath(new URL('../shared', import.meta.url));
const nodeOnlyDirs = ['core', 'server', 'workers', 'all-in-one'].map((d) => fileURLToPath(new URL(`../${d}/`, import.meta.url)));

/** The browser bundle may read shared/ (browser-safe by rule), never core/ or a process shell (Node-only). */
function forbidNodeOnly(): Plugin {
  return {
    name: 'pulse:forbid-node-only',
    enforce: 'pre',
    load(id) {
      if (nodeOnlyDirs.some((d) => id.startsWith(d))) {
        this.error(`client code must not import ${id}: core/, server/ and workers/ are Node-only (wire types belong in shared/)`);
      }
      return null;
    },
  };
}

const apiServer = 'http://localhost:3000';

export default defineConfig({
  root: clientDir,
  plugins: [vue(), forbidNodeOnly()],
  resolve: {
    alias: { '@shared': sharedDir },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    fs: { allow: [clientDir, sharedDir] },
    proxy: {
      '/api': { target: apiServer, changeOrigin: true },
      '/socket.io': { target: apiServer, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Syntax (oxc) and CSS (lightningcss) lowered for the oldest supported browser, not Vite's default
    // (Chrome 111): see browser-floor.ts and tests/contract/browser-floor.test.ts.
    target: [FLOOR_BUILD_TARGET],
    cssTarget: [FLOOR_BUILD_TARGET],
    // echarts/core alone minifies to ~530 kB; it is one cached vendor chunk, not app code.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across deployments.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 3 },
            // Groups take their modules' dependencies along: the shared libraries (vue, …) go first, so the
            // console's component library below does not carry them off — only the console (a lazy route)
            // loads Element Plus, never the wall.
            {
              name: 'vendor',
              test: /node_modules[\\/](?!(element-plus|@element-plus|@floating-ui|@popperjs|@vueuse|@ctrl|lodash-es|lodash-unified|dayjs|async-validator|memoize-one|normalize-wheel-es)[\\/])/,
              priority: 2,
            },
            { name: 'element-plus', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
