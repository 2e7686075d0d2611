import type { Coverage } from './coverage.ts';

export interface RecordedOutcome {
  check: string;
  passed: boolean;
  /** A failure the deployment's baseline accepts. */
  known?: boolean;
  exchange?: number;
  title?: string;
  detail?: string;
  rule?: string;
}

export interface ExchangeSummary {
  index: number;
  step: string;
  operationId?: string;
  method: string;
  url: string;
  status?: number;
  durationMs: number;
  transportError?: string;
  request: { headers: Record<string, string>; bodyExcerpt: string; bodyBytes: number };
  response?: { headers: Record<string, string>; bodyExcerpt: string; bodyBytes: number };
}

/** What one scenario recorded: redacted and JSON-safe (it travels from the worker to the reporter). */
export interface ScenarioRecord {
  api: string;
  exchanges: ExchangeSummary[];
  outcomes: RecordedOutcome[];
  cleanupErrors: string[];
}

export interface ScenarioResult extends ScenarioRecord {
  name: string;
  file: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  durationMs: number;
  /** Errors vitest saw that no check recorded (a crash in the scenario file itself). */
  errors: string[];
  /** Set when the scenario did not run: what it needs that the run was not given. */
  notRun?: string;
}

/** A scenario the run left out, with the options that would enable it. */
export interface NotRunScenario {
  name: string;
  file: string;
  needs: string;
}

export interface CheckTally {
  check: string;
  passed: number;
  failed: number;
}

export interface ConformanceReport {
  tool: 'attachkit';
  api: string;
  baseUrl: string;
  runId: string;
  mode: 'full' | 'stateless' | 'read-only';
  startedAt: string;
  finishedAt: string;
  summary: { scenarios: number; passedScenarios: number; failedScenarios: number; checks: number; failedChecks: number; knownDeviations: number };
  checks: CheckTally[];
  coverage: Coverage;
  scenarios: ScenarioResult[];
  notRun: NotRunScenario[];
}

export function tallyChecks(scenarios: ScenarioResult[]): CheckTally[] {
  const byName = new Map<string, CheckTally>();
  for (const outcome of scenarios.flatMap((s) => s.outcomes)) {
    const tally = byName.get(outcome.check) ?? { check: outcome.check, passed: 0, failed: 0 };
    if (outcome.passed || outcome.known) tally.passed++;
    else tally.failed++;
    byName.set(outcome.check, tally);
  }
  return [...byName.values()].sort((a, b) => a.check.localeCompare(b.check));
}

export function failedOutcomes(scenario: ScenarioResult): RecordedOutcome[] {
  return scenario.outcomes.filter((o) => !o.passed && !o.known);
}

/** The summary table printed at the end of a run. */
export function summaryTable(report: ConformanceReport): string {
  const rows = report.checks.map((c) => [c.check, String(c.passed), String(c.failed)]);
  const head = ['check', 'passed', 'failed'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const s = report.summary;
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(report.notRun.length ? ['', `not run (${report.notRun.length}):`, ...report.notRun.map((n) => `  ${n.name}: ${n.needs}`)] : []),
    '',
    `${report.api} at ${report.baseUrl} (${report.mode}): ${s.passedScenarios}/${s.scenarios} scenarios passed, ${s.failedChecks} of ${s.checks} checks failed` +
      (s.knownDeviations ? `, ${s.knownDeviations} known deviation${s.knownDeviations === 1 ? '' : 's'} accepted by the baseline` : ''),
  ].join('\n');
}
