import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { apis } from '../../registry.ts';
import { checks } from '../../conformance/kit/checks/registry.ts';
import { assumed, defineExpectations, documented, severityOf, sourceIn, type Expectation } from '../../conformance/kit/expectations.ts';
import { outcomeLine, summarise, tallyExpectations, verdictOf, type RecordedOutcome, type ScenarioResult } from '../../conformance/kit/report.ts';
import { AssumptionBroken, Session, stopFor } from '../../conformance/kit/session.ts';
import { suiteExpectations } from '../../conformance/kit/suite-expectations.ts';
import type { Target } from '../../conformance/kit/target.ts';

describe('expectations are registered values with evidence', () => {
  test('a definition without a docs URL, a source path, a reason, or with a two-line title is refused', () => {
    expect(() => defineExpectations('x', { a: { title: 't', evidence: documented('docs.example.com') } })).toThrow('documented evidence needs the docs URL');
    expect(() => defineExpectations('x', { a: { title: 't', evidence: sourceIn('org/repo', '')('a.php') } })).toThrow('source evidence needs repo, version and path');
    expect(() => defineExpectations('x', { a: { title: 't', evidence: assumed('') } })).toThrow('say why it is assumed');
    expect(() => defineExpectations('x', { a: { title: 'one\ntwo', evidence: assumed('why') } })).toThrow('the title is one line');
    expect(() => defineExpectations('x', { NotSnake: { title: 't', evidence: assumed('why') } })).toThrow('names are snake_case');
  });

  test('only assumptions are observations', () => {
    expect(severityOf(documented('https://docs.example.com'))).toBe('failure');
    expect(severityOf(sourceIn('org/repo', '1.0')('a.php'))).toBe('failure');
    expect(severityOf(assumed('nobody says'))).toBe('observation');
  });

  test("every API's expectations are its own, well-formed, and named apart from the checks", async () => {
    const checkNames = new Set([...checks.map((c) => c.name), 'scenario_completed']);
    const seen = new Set<string>(Object.keys(suiteExpectations));
    for (const entry of apis) {
      const registered = Object.values((await entry.conformance()).expectations);
      expect(registered.length, entry.id).toBeGreaterThan(10);
      for (const e of registered) {
        expect(e.api, e.name).toBe(entry.id);
        expect(checkNames.has(e.name), `${e.name} shadows a check`).toBe(false);
        expect(seen.has(`${entry.id}.${e.name}`)).toBe(false);
        seen.add(`${entry.id}.${e.name}`);
        if (e.evidence.kind === 'source') expect(e.evidence.repo, e.name).toMatch(/^[\w.-]+\/[\w.-]+$/);
      }
    }
  });
});

const documentedOne: Expectation = { name: 'put_replaces', api: 'x', title: 'PUT replaces', evidence: documented('https://docs.example.com/put') };
const assumedOne: Expectation = { name: 'echoes_locale', api: 'x', title: 'echoes the locale', evidence: assumed('not in the docs') };
const neverRun: Expectation = { name: 'never_run', api: 'x', title: 'not reached', evidence: assumed('not in the docs') };

function scenario(outcomes: RecordedOutcome[], state: ScenarioResult['state'] = 'passed'): ScenarioResult {
  return { name: 's', file: 'f', state, durationMs: 1, errors: [], api: 'x', exchanges: [], outcomes, cleanupErrors: [] };
}
const outcome = (o: Partial<RecordedOutcome>): RecordedOutcome => ({ check: 'expected_status', kind: 'check', passed: true, severity: 'failure', ...o });

describe('verdicts follow the evidence', () => {
  const failedAssumption = outcome({ check: 'echoes_locale', kind: 'expectation', passed: false, severity: 'observation', title: 'templateLocale is null' });
  const refusalUnderAssumption = outcome({ passed: false, severity: 'observation', expectation: 'echoes_locale', title: 'listAttachments → 200: expected 400' });
  const failedDocumented = outcome({ check: 'put_replaces', kind: 'expectation', passed: false, severity: 'failure', title: 'PUT appended' });

  test('a failed assumption is an observation; a failed documented expectation or check is a failure', () => {
    expect(verdictOf(failedAssumption)).toBe('observation');
    expect(verdictOf(refusalUnderAssumption)).toBe('observation');
    expect(verdictOf(failedDocumented)).toBe('failed');
    expect(verdictOf(outcome({ passed: false }))).toBe('failed');
    expect(verdictOf({ ...failedDocumented, known: true })).toBe('known');
    expect(outcomeLine(refusalUnderAssumption)).toBe('[expected_status, for echoes_locale] listAttachments → 200: expected 400 (observation)');
    expect(outcomeLine(failedDocumented)).toBe('[put_replaces] PUT appended');
  });

  test('observations pass the run, unless strict; failures fail it', () => {
    const observed = [scenario([outcome({}), failedAssumption, refusalUnderAssumption])];
    const expectations = tallyExpectations([documentedOne, assumedOne, neverRun], observed);
    expect(summarise(observed, [], expectations, false, false)).toMatchObject({ verdict: 'pass', failedChecks: 0, observations: 2, expectationsNotRun: 2 });
    expect(summarise(observed, [], expectations, true, false)).toMatchObject({ verdict: 'fail', observations: 2 });
    const failed = [scenario([failedDocumented], 'failed')];
    expect(summarise(failed, [], tallyExpectations([documentedOne], failed), false, false)).toMatchObject({ verdict: 'fail', failedChecks: 1 });
  });

  test('the expectation tally counts its own outcomes and the checks it explained, and names those never run', () => {
    const tally = tallyExpectations([documentedOne, assumedOne, neverRun], [scenario([outcome({}), failedAssumption, refusalUnderAssumption, outcome({ check: 'put_replaces', kind: 'expectation' })])]);
    expect(tally).toEqual([
      { name: 'echoes_locale', title: 'echoes the locale', evidence: assumedOne.evidence, ran: true, passed: 0, failed: 0, observations: 2 },
      { name: 'never_run', title: 'not reached', evidence: neverRun.evidence, ran: false, passed: 0, failed: 0, observations: 0 },
      { name: 'put_replaces', title: 'PUT replaces', evidence: documentedOne.evidence, ran: true, passed: 1, failed: 0, observations: 0 },
    ]);
  });
});

describe('a scenario that stops early', () => {
  const target = (api: string): Target => ({
    api,
    baseUrl: 'http://127.0.0.1:9',
    credentials: {},
    options: {},
    stateless: false,
    runId: 'stopped',
    seed: 1,
    negativeLimit: 0,
    readOnly: false,
    keep: false,
    strict: false,
  });
  const last = (session: Session) => session.outcomes.at(-1)!;

  test('is a failure, unless a failed assumption stopped it (and only assumptions failed before)', async () => {
    const api = apis[0];
    const documentedOne = Object.values((await api.conformance()).expectations).find((e) => e.evidence.kind !== 'assumed')!;

    const unexplained = await Session.open(target(api.id));
    unexplained.stopped(new Error('upload returned no id'));
    expect(last(unexplained)).toMatchObject({ check: 'scenario_completed', passed: false, severity: 'failure', title: 'scenario stopped: upload returned no id' });

    const afterAssumption = await Session.open(target(api.id));
    afterAssumption.verify(suiteExpectations.generated_invalid_input_refused, false, 'accepted');
    afterAssumption.stopped(new AssumptionBroken('listAttachments answered 400'));
    expect(last(afterAssumption)).toMatchObject({ check: 'scenario_completed', severity: 'observation' });

    const afterFailure = await Session.open(target(api.id));
    afterFailure.verify(suiteExpectations.generated_invalid_input_refused, false, 'accepted');
    afterFailure.verify(documentedOne, false, 'broken');
    afterFailure.stopped(new AssumptionBroken('gave up'));
    expect(last(afterFailure)).toMatchObject({ check: 'scenario_completed', severity: 'failure' });

    const assumptionWithoutMiss = await Session.open(target(api.id));
    assumptionWithoutMiss.stopped(new AssumptionBroken('nothing failed'));
    expect(last(assumptionWithoutMiss)).toMatchObject({ check: 'scenario_completed', severity: 'failure' });
  });

  test('a crash after an observation is a failure and fails the run (an earlier observation does not excuse it)', async () => {
    const session = await Session.open(target(apis[0].id));
    session.verify(suiteExpectations.generated_invalid_input_refused, false, 'accepted');
    session.stopped(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(last(session)).toMatchObject({ check: 'scenario_completed', severity: 'failure', title: "scenario stopped: Cannot read properties of undefined (reading 'id')" });
    const record = session.snapshot();
    const run = [{ ...scenario(record.outcomes, 'failed'), api: record.api }];
    expect(summarise(run, [], tallyExpectations([], run), false, false)).toMatchObject({ verdict: 'fail', failedChecks: 1, observations: 1 });
  });

  test('stopFor names an assumed reason an AssumptionBroken, any other a plain Error', () => {
    expect(stopFor(suiteExpectations.generated_invalid_input_refused, 'x')).toBeInstanceOf(AssumptionBroken);
    expect(stopFor(documentedOne, 'x')).not.toBeInstanceOf(AssumptionBroken);
    expect(stopFor(undefined, 'x')).not.toBeInstanceOf(AssumptionBroken);
  });

  test("refuses to verify another API's expectation (a typo'd import cannot pass silently)", async () => {
    const [first, second] = apis;
    const foreign = Object.values((await second.conformance()).expectations)[0];
    const session = await Session.open(target(first.id));
    expect(() => session.verify(foreign, true, 'x')).toThrow(`${second.id}.${foreign.name} is not an expectation of ${first.id}`);
  });
});

describe("a request's because explains the checks that judge the outcome it asked for", () => {
  test('auth_required on an unauthorized: true request is judged under its because (an assumed refusal is an observation)', async () => {
    // A server that serves everything, so a request expected to be refused as unauthenticated is not.
    const server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('served'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const api = apis[0];
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const session = await Session.open({ api: api.id, baseUrl, credentials: {}, options: {}, stateless: false, runId: 'because', seed: 1, negativeLimit: 0, readOnly: false, keep: false, strict: false });
      const because = suiteExpectations.generated_invalid_input_refused;
      await session.request('GET', '/no-such-path', { auth: 'none', expect: { unauthorized: true, because }, step: 'read without credentials' });
      expect(session.outcomes.find((o) => o.check === 'auth_required')).toMatchObject({ passed: false, severity: 'observation', expectation: because.name });
      const run = [{ ...scenario(session.snapshot().outcomes), api: api.id }];
      expect(tallyExpectations([because], run)).toMatchObject([{ name: because.name, ran: true, observations: 1 }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('only the checks of the expected outcome declare it', () => {
    expect(checks.filter((c) => c.judgesExpectedOutcome).map((c) => c.name).sort()).toEqual(['auth_required', 'bad_input_refused', 'expected_status']);
  });
});
