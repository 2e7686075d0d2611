/**
 * A fast subset of an API's mutants for `npm test` (test/mutants.test.ts), in test/<id>/mutant-subset.ts:
 * by fault id, the checks meant to catch it and whether the run kills it by a failure or an
 * observation (a failed assumption; the runs are --strict).
 */
export type MutantSubset = Record<string, { checks: string[]; by: 'failure' | 'observation' }>;
