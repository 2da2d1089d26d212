/** What a scenario measured, for its test (problems must be empty) and for docs/RELIABILITY.md. */
export interface ScenarioReport {
  /** Scenario id, e.g. `kill-worker`. */
  id: string;
  /** The parameters it ran with (records, kills, senders …). */
  parameters: Record<string, string | number>;
  /** What it measured, as labelled figures. */
  measured: Record<string, string | number>;
  /** Everything that went wrong; empty means the scenario passed. */
  problems: string[];
  /** Wall-clock duration of the run, in seconds (reported, never asserted). */
  seconds: number;
}

/** Runs `body` and times it into the report it returns. */
export async function timed(
  id: string,
  parameters: ScenarioReport['parameters'],
  body: (report: ScenarioReport) => Promise<void>,
): Promise<ScenarioReport> {
  const report: ScenarioReport = { id, parameters, measured: {}, problems: [], seconds: 0 };
  const started = performance.now();
  try {
    await body(report);
  } catch (err) {
    report.problems.push(`aborted: ${(err as Error).stack ?? String(err)}`);
  }
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  return report;
}

/** `node scripts/reliability/<name>.ts`: run one scenario, print its report, exit 1 on problems. */
export async function runAsScript(run: () => Promise<ScenarioReport>): Promise<void> {
  const report = await run();
  console.log(JSON.stringify(report, null, 2));
  process.exit(report.problems.length === 0 ? 0 : 1);
}
