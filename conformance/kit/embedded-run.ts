import { Writable } from 'node:stream';
import { findApi, apiIds } from '../../registry.ts';
import { UsageError } from '../../lib/options.ts';
import { preflight, prepareTarget, type TargetInput } from './prepare-target.ts';
import type { ConformanceReport } from './report.ts';
import { runConformance as runSuite, scenarioFiles } from './run.ts';

export interface ConformanceOptions extends TargetInput {
  /** Also write junit.xml, report.json and report.html here. */
  reportDir?: string;
  /** Progress, one line per scenario, as `attachkit conformance` prints it; default: nothing. */
  progress?: NodeJS.WritableStream;
}

/**
 * The conformance suite against a deployment, from code: what `attachkit conformance <api>` does,
 * resolving to the run's report (the object report.json holds: summary with its verdict, checks,
 * expectations, coverage, scenarios with their exchanges). Bad options, an unreachable target or
 * refused credentials reject with a UsageError (the CLI's exit 2), before anything is sent.
 * Runs in this process (vitest's programmatic API), one run at a time.
 */
export async function runConformance(apiId: string, options: ConformanceOptions): Promise<ConformanceReport> {
  const entry = findApi(apiId);
  if (!entry) throw new UsageError(`unknown API '${apiId}'; known: ${apiIds().join(', ')}`);
  const api = await entry.conformance();
  const target = prepareTarget(entry, api, options);
  const problem = await preflight(entry, api, target);
  if (problem) throw new UsageError(problem);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const { reporter } = await runSuite(target, await scenarioFiles(target, api), options.reportDir, options.progress ?? silent);
  if (!reporter.report) throw new Error(`the ${apiId} conformance run ended without a report`);
  return reporter.report;
}
