import type { Coverage } from './coverage.ts';
import type { Evidence, Expectation, Severity } from './expectations.ts';

/** One judgement of a scenario: a check on an exchange, or an expectation the scenario verified. */
export interface RecordedOutcome {
  /** The registered check or expectation that judged it. */
  check: string;
  kind: 'check' | 'expectation';
  passed: boolean;
  /** What a failure counts as: `failure` fails the run, `observation` only with --strict. */
  severity: Severity;
  /** A check judged under a registered expectation's evidence (the request's `because`). */
  expectation?: string;
  /** A failure the deployment's baseline accepts. */
  known?: boolean;
  exchange?: number;
  title?: string;
  detail?: string;
  rule?: string;
}

export type Verdict = 'passed' | 'failed' | 'observation' | 'known';

export function verdictOf(outcome: RecordedOutcome): Verdict {
  if (outcome.passed) return 'passed';
  if (outcome.known) return 'known';
  return outcome.severity === 'observation' ? 'observation' : 'failed';
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
  observations: number;
}

/** A registered expectation and what the run made of it; `ran: false` when no scenario verified it. */
export interface ExpectationResult {
  name: string;
  title: string;
  evidence: Evidence;
  ran: boolean;
  passed: number;
  failed: number;
  observations: number;
}

export interface ReportSummary {
  /** `fail` when a check or a documented/source expectation failed, or (with --strict) on an observation. */
  verdict: 'pass' | 'fail';
  strict: boolean;
  scenarios: number;
  passedScenarios: number;
  failedScenarios: number;
  notRunScenarios: number;
  /** Every judgement: checks and expectations. */
  checks: number;
  failedChecks: number;
  /** Failed assumptions: reported, not failing unless --strict. */
  observations: number;
  knownDeviations: number;
  expectations: number;
  expectationsNotRun: number;
}

export interface ConformanceReport {
  tool: 'attachkit';
  api: string;
  baseUrl: string;
  runId: string;
  mode: 'full' | 'stateless' | 'read-only';
  startedAt: string;
  finishedAt: string;
  summary: ReportSummary;
  checks: CheckTally[];
  expectations: ExpectationResult[];
  coverage: Coverage;
  scenarios: ScenarioResult[];
  notRun: NotRunScenario[];
}

const count = (outcomes: RecordedOutcome[], verdict: Verdict) => outcomes.filter((o) => verdictOf(o) === verdict).length;

/** The checks' outcomes by check name (expectations are tallied apart). */
export function tallyChecks(scenarios: ScenarioResult[]): CheckTally[] {
  const byName = new Map<string, RecordedOutcome[]>();
  for (const outcome of scenarios.flatMap((s) => s.outcomes).filter((o) => o.kind === 'check')) {
    const outcomes = byName.get(outcome.check);
    if (outcomes) outcomes.push(outcome);
    else byName.set(outcome.check, [outcome]);
  }
  return [...byName.entries()]
    .map(([check, outcomes]) => ({ check, passed: count(outcomes, 'passed') + count(outcomes, 'known'), failed: count(outcomes, 'failed'), observations: count(outcomes, 'observation') }))
    .sort((a, b) => a.check.localeCompare(b.check));
}

/** Every registered expectation, with what the run's outcomes (its own, and the checks it explained) made of it. */
export function tallyExpectations(registered: readonly Expectation[], scenarios: ScenarioResult[]): ExpectationResult[] {
  const outcomes = scenarios.flatMap((s) => s.outcomes);
  return registered
    .map((expectation) => {
      const mine = outcomes.filter((o) => (o.kind === 'expectation' && o.check === expectation.name) || o.expectation === expectation.name);
      return {
        name: expectation.name,
        title: expectation.title,
        evidence: expectation.evidence,
        ran: mine.length > 0,
        passed: count(mine, 'passed') + count(mine, 'known'),
        failed: count(mine, 'failed'),
        observations: count(mine, 'observation'),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function summarise(scenarios: ScenarioResult[], notRun: NotRunScenario[], expectations: ExpectationResult[], strict: boolean, hardErrors: boolean): ReportSummary {
  const outcomes = scenarios.flatMap((s) => s.outcomes);
  const failedScenarios = scenarios.filter((s) => s.state !== 'passed').length;
  const failedChecks = count(outcomes, 'failed');
  const observations = count(outcomes, 'observation');
  const fails = hardErrors || scenarios.length === 0 || failedScenarios > 0 || failedChecks > 0 || (strict && observations > 0);
  return {
    verdict: fails ? 'fail' : 'pass',
    strict,
    scenarios: scenarios.length,
    passedScenarios: scenarios.length - failedScenarios,
    failedScenarios,
    notRunScenarios: notRun.length,
    checks: outcomes.length,
    failedChecks,
    observations,
    knownDeviations: count(outcomes, 'known'),
    expectations: expectations.length,
    expectationsNotRun: expectations.filter((e) => !e.ran).length,
  };
}

export function failedOutcomes(scenario: ScenarioResult): RecordedOutcome[] {
  return scenario.outcomes.filter((o) => verdictOf(o) === 'failed');
}

export function observedOutcomes(scenario: ScenarioResult): RecordedOutcome[] {
  return scenario.outcomes.filter((o) => verdictOf(o) === 'observation');
}

/** One outcome as every text report prints it: `[check] title`, `[check, for expectation] title`, `(observation)` when it is one. */
export function outcomeLine(outcome: RecordedOutcome): string {
  const label = outcome.expectation ? `${outcome.check}, for ${outcome.expectation}` : outcome.check;
  return `[${label}] ${outcome.title ?? ''}${verdictOf(outcome) === 'observation' ? ' (observation)' : ''}`;
}
