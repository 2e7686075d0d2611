import { expect, test } from 'vitest';
import { runMutants } from '../conformance/mutants/run-mutants.ts';

// A fast subset of `npm run mutants`, favouring faults that only a scenario's own verification can
// see (no status or schema check would). The clean server's pass is each API's CLI test.
// The runs are --strict, so a fault seen only as an observation (a failed assumption) is killed too;
// `by` says which.
const subset: Record<string, { checks: string[]; by: 'failure' | 'observation' }> = {
  'espocrm.note-put-appends': { checks: ['note_put_replaces_list', 'note_put_unlinks_omitted'], by: 'failure' },
  'espocrm.status-reason-stripped': { checks: ['error_reason_sent', 'required_headers_present'], by: 'failure' },
  'espocrm.any-api-key-accepted': { checks: ['auth_required'], by: 'failure' },
  'onlyoffice.upload-attaches': { checks: ['upload_does_not_attach'], by: 'failure' },
  'onlyoffice.delete-leaves-listed': { checks: ['delete_unlinks_file'], by: 'failure' },
  'onlyoffice.status-code-mismatch': { checks: ['envelope_status_code'], by: 'failure' },
  'caseiq.single-tag-dropped': { checks: ['tags_match_upload'], by: 'observation' },
  'caseiq.boundary-repeated': { checks: ['paging_consistent'], by: 'failure' },
  // A 500 on a bad cursor breaks an assumed refusal (Case IQ documents no bounds for list parameters).
  'caseiq.bad-cursor-500': { checks: ['list_refusals', 'expected_status'], by: 'observation' },
};

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
