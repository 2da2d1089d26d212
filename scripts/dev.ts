/**
 * `npm run dev`: the console and wall from Vite's dev server (hot reload of client/), with Pulse behind
 * it — `npm start`'s server, workers and embedded Redis in this process — and Vite proxying `/api` and
 * `/socket.io` (WebSocket included) to it. Open the Vite address it prints; Ctrl-C stops both.
 */
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { printOnce, startAllInOne } from '../all-in-one/all-in-one.ts';
import { cliUsageError, parseCli } from '../core/platform/cli.ts';
import { freePort } from '../core/platform/free-port.ts';
import { runProcess } from '../core/platform/lifecycle.ts';

const COMMAND = 'npm run dev';
const { values } = parseCli({
  command: COMMAND,
  usage: `usage: npm run dev [-- --port <port>]

Vite's dev server for client/ (hot reload) in front of Pulse as npm start runs it (server, workers, and
an embedded redis-server when REDIS_URL is unset), proxying /api and /socket.io (WebSocket too) to it.

  --port N   Vite's port (default 5173; 0: any free port). Pulse listens on PORT (default 3000; 0: any).

Configuration as for npm start (README.md, "Configuration"). Ctrl-C stops Vite, then Pulse.`,
  options: { port: { type: 'string' } },
});
const vitePort = Number(values.port ?? 5173);
if (!Number.isInteger(vitePort) || vitePort < 0 || vitePort > 65535)
  cliUsageError(COMMAND, `--port must be a port number (got '${values.port}')`);

await runProcess('pulse-dev', async (config, log) => {
  const pulsePort = config.PORT === 0 ? await freePort() : config.PORT;
  const target = `http://127.0.0.1:${pulsePort}`;
  const sigtermBefore = process.listeners('SIGTERM');
  const stdinEndBefore = process.stdin.listeners('end');
  const vite: ViteDevServer = await createServer({
    configFile: fileURLToPath(new URL('../client/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    server: {
      host: '127.0.0.1',
      port: vitePort,
      strictPort: vitePort !== 0,
      proxy: {
        '/api': { target, changeOrigin: true },
        '/socket.io': { target, changeOrigin: true, ws: true },
      },
    },
  });
  // Vite exits the process on SIGTERM (and at the end of stdin) once it has closed itself, which would
  // orphan Pulse and its embedded Redis: the shutdown below stops both, in order, instead.
  for (const listener of process.listeners('SIGTERM')) if (!sigtermBefore.includes(listener)) process.off('SIGTERM', listener);
  for (const listener of process.stdin.listeners('end'))
    if (!stdinEndBefore.includes(listener)) process.stdin.off('end', listener as () => void);
  await vite.listen();
  const address = vite.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : vitePort;
  // The page's origin is Vite's: Pulse lets it send logins and open the live stream (ALLOWED_ORIGINS).
  const viteOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  let pulse;
  try {
    pulse = await startAllInOne({ ...config, PORT: pulsePort, ALLOWED_ORIGINS: [...config.ALLOWED_ORIGINS, ...viteOrigins] }, log);
  } catch (err) {
    await vite.close();
    throw err;
  }
  printOnce(pulse.server);
  process.stdout.write(`\nPulse dev: open http://127.0.0.1:${port}/ (Vite, hot reload; API and live stream from Pulse on ${target})\n`);
  return async () => {
    await vite.close();
    await pulse.close();
  };
});
