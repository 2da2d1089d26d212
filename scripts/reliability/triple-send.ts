/**
 * Scenario 3 — every record of a generated year sent three times, shuffled, by four senders at once,
 * to two server processes, applied by two worker processes. The figures must equal the generator's
 * count (each record once) and `npm run verify` report zero difference.
 *
 *   node scripts/reliability/triple-send.ts [--scale 0.1]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateYear } from '../simulator/year.ts';
import { finishScenario } from './checks.ts';
import { startPulseCluster } from './harness.ts';
import { runAsScript, timed, type ScenarioReport } from './report.ts';
import { makeBatches, sendAll } from './senders.ts';

export interface TripleSendOptions {
  scale: number;
  batchSize?: number;
  seed?: number;
}

export function runTripleSend(options: TripleSendOptions): Promise<ScenarioReport> {
  const { scale, batchSize = 2_000, seed = 3 } = options;
  return timed('triple-send', { scale, copies: 3, senders: 4, servers: 2, workers: 2, 'batch size': batchSize }, async (report) => {
    const generated = generateYear({ year: 2022, seed, scale });
    const unique = Object.values(generated.feeds).reduce((n, r) => n + r.length, 0);
    const batches = makeBatches(generated.feeds, { batchSize, copies: 3, seed });
    report.parameters['unique records'] = unique;
    const cluster = await startPulseCluster({ servers: 2, workers: 2 });
    try {
      const token = await cluster.login();
      const tally = await sendAll(cluster.baseUrls, batches, { senders: 4 });
      await finishScenario(cluster, token, tally, generated.expected, report);
    } finally {
      await cluster.stop();
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.1' } } });
  await runAsScript(() => runTripleSend({ scale: Number(values.scale) }));
}
