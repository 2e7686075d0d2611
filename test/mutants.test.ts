import { expect, test } from 'vitest';
import { apis } from '../registry.ts';
import { runMutants } from '../conformance/mutants/run-mutants.ts';
import type { MutantSubset } from './support/mutant-subset.ts';
import { perApiFixture } from './support/per-api.ts';

// A fast subset of `npm run mutants`, favouring faults that only a scenario's own verification can
// see (no status or schema check would). The clean server's pass is each API's CLI test.
// The runs are --strict, so a fault seen only as an observation (a failed assumption) is killed too;
// `by` says which.
// Each API's subset is in test/<id>/mutant-subset.ts, keyed by fault id.
const subset: MutantSubset = Object.fromEntries(
  (await Promise.all(apis.map(async (api) => Object.entries((await perApiFixture<MutantSubset>(api.id, 'mutant-subset.ts', 'mutantSubset'))!).map(([fault, value]) => [`${api.id}.${fault}`, value] as const)))).flat(),
);

test('the conformance suite kills a subset of each API\'s mutants, with the checks meant to catch them', { timeout: 600_000 }, async () => {
  const faults = Object.keys(subset);
  const results = await runMutants({ apis: [...new Set(faults.map((f) => f.split('.')[0]))], faults, concurrency: 2, clean: false });
  expect(Object.fromEntries(results.map((r) => [`${r.api}.${r.fault}`, r.verdict]))).toEqual(Object.fromEntries(faults.map((f) => [f, 'killed'])));
  for (const result of results) {
    const { checks, by } = subset[`${result.api}.${result.fault}`];
    expect(result.failedChecks).toEqual(expect.arrayContaining(checks));
    expect(result.killedBy, `${result.api}.${result.fault}`).toBe(by);
  }
});
