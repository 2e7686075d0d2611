import { test } from 'vitest';
import { deviationKey, readBaseline } from './baseline.ts';
import { currentTarget } from './current-target.ts';
import { outcomeLine, verdictOf, type ScenarioRecord } from './report.ts';
import { Session } from './session.ts';

let baseline: { file?: string; keys: Set<string> } | undefined;

function knownDeviations(file: string | undefined): Set<string> {
  if (!file) return new Set();
  if (baseline?.file !== file) baseline = { file, keys: readBaseline(file) };
  return baseline.keys;
}

declare module 'vitest' {
  interface TaskMeta {
    attachkit?: ScenarioRecord;
    /** Why a scenario did not run: what it needs that the run was not given. */
    attachkitNotRun?: string;
  }
}

/** What a scenario needs from the run beyond the API's usual credentials. */
export interface Requirement {
  /** True when the run has it. */
  met: boolean;
  /** The options that would enable the scenario, as the user types them (`--api-key with --secret-key`). */
  enable: string;
}

export interface ScenarioOptions {
  needs?: Requirement;
  timeout?: number;
}

/** Thrown at the end of a scenario that broke the contract; one line per failed check. */
export class ScenarioFailed extends Error {
  constructor(lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ScenarioFailed';
  }
}

/**
 * A conformance scenario: a vitest test that talks to the target through a Session. Checks do
 * not stop the scenario (every departure is worth knowing), clean-ups always run, and the test
 * fails at the end with every failed check's one-line title.
 *
 * A scenario whose `needs` the run does not meet is registered as not run, with the options that
 * would enable it, so the report names it (and a file whose scenarios all need more still counts).
 */
export function scenario(name: string, body: (session: Session) => Promise<void>): void;
export function scenario(name: string, options: ScenarioOptions, body: (session: Session) => Promise<void>): void;
export function scenario(name: string, a: ScenarioOptions | ((session: Session) => Promise<void>), b?: (session: Session) => Promise<void>): void {
  const options = typeof a === 'function' ? {} : a;
  const body = typeof a === 'function' ? a : b!;
  if (options.needs && !options.needs.met) {
    test(name, { skip: true, meta: { attachkitNotRun: `needs ${options.needs.enable}` } }, () => {});
    return;
  }
  test(name, { timeout: options.timeout ?? 120_000 }, async (context) => {
    const session = await Session.open(currentTarget());
    let crash: unknown;
    try {
      await body(session);
    } catch (error) {
      crash = error;
    } finally {
      await session.runCleanups();
    }
    if (crash) session.stopped(crash);
    const record = session.snapshot();
    const known = knownDeviations(session.target.baselineFile);
    for (const outcome of record.outcomes) {
      if (!outcome.passed && known.has(deviationKey(name, outcome.check, outcome.title ?? '', session.target.runId))) outcome.known = true;
    }
    context.task.meta.attachkit = record;
    // Observations are annotated, so JUnit shows them (as properties) on a passing test case.
    const observed = record.outcomes.filter((o) => verdictOf(o) === 'observation');
    for (const o of observed) await context.annotate(outcomeLine(o), 'observation');
    const failing = record.outcomes.filter((o) => verdictOf(o) === 'failed' || (session.target.strict && verdictOf(o) === 'observation'));
    if (failing.length) throw new ScenarioFailed(failing.map(outcomeLine));
  });
}
