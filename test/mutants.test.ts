import { expect, test } from 'vitest';
import { runMutants } from '../conformance/mutants/run-mutants.ts';

// A fast subset of `npm run mutants`: the clean server passes and each of these faults is caught.
const subset = ['espocrm.truncated-download', 'espocrm.note-put-appends', 'espocrm.status-reason-stripped', 'espocrm.any-api-key-accepted'];

test('the conformance suite passes the clean server and kills a subset of mutants', async () => {
  const results = await runMutants({ apis: [...new Set(subset.map((f) => f.split('.')[0]))], faults: subset, concurrency: 2 });
  const verdicts = Object.fromEntries(results.map((r) => [`${r.api}.${r.fault}`, r.verdict]));
  expect(verdicts).toEqual({
    'espocrm.clean': 'passed',
    ...Object.fromEntries(subset.map((f) => [f, 'killed'])),
  });
});
