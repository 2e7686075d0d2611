import { test } from 'vitest';
import { deviationKey, readBaseline } from './baseline.ts';
import { Session, type ScenarioRecord } from './session.ts';

let baseline: { file?: string; keys: Set<string> } | undefined;

function knownDeviations(file: string | undefined): Set<string> {
  if (!file) return new Set();
  if (baseline?.file !== file) baseline = { file, keys: readBaseline(file) };
  return baseline.keys;
}

declare module 'vitest' {
  interface TaskMeta {
    attachkit?: ScenarioRecord;
  }
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
 */
export function scenario(name: string, body: (session: Session) => Promise<void>, timeout = 120_000): void {
  test(name, { timeout }, async (context) => {
    const session = await Session.open();
    let crash: unknown;
    try {
      await body(session);
    } catch (error) {
      crash = error;
    } finally {
      await session.runCleanups();
    }
    if (crash) {
      const message = String((crash as Error)?.message ?? crash).split('\n')[0];
      session.verify('scenario_completed', false, `scenario stopped: ${message}`);
    }
    const record = session.snapshot();
    const known = knownDeviations(session.target.baselineFile);
    for (const outcome of record.outcomes) {
      if (!outcome.passed && known.has(deviationKey(name, outcome.check, outcome.title ?? '', session.target.runId))) outcome.known = true;
    }
    context.task.meta.attachkit = record;
    const failed = record.outcomes.filter((o) => !o.passed && !o.known);
    if (failed.length) throw new ScenarioFailed(failed.map((f) => `[${f.check}] ${f.title}`));
  });
}
