import type { RunningServer } from './server-process.ts';

/** Prints the secrets this process generated — once, since only their hashes or Redis keep them. */
export function printOnce(server: RunningServer, url = `http://localhost:${server.port}`): void {
  const lines = [`Pulse 政务服务效能看板: ${url}`];
  if (server.generated.adminPassword) {
    lines.push(`  管理员 admin password (shown once; set ADMIN_PASSWORD to choose your own): ${server.generated.adminPassword}`);
  }
  if (server.generated.ingestToken) {
    lines.push(`  Ingest token (shown once; set INGEST_TOKEN to choose your own): ${server.generated.ingestToken}`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}
