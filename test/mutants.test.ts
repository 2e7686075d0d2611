import { expect, test } from 'vitest';
import { runMutants } from '../conformance/mutants/run-mutants.ts';

// A fast subset of `npm run mutants`, favouring faults that only a scenario's own verification can
// see (no status or schema check would). The clean server's pass is each API's CLI test.
const subset: Record<string, string[]> = {
  'espocrm.note-put-appends': ['note_put_replaces_list', 'note_put_unlinks_omitted'],
  'espocrm.status-reason-stripped': ['error_reason_sent', 'required_headers_present'],
  'espocrm.any-api-key-accepted': ['auth_required'],
  'onlyoffice.upload-attaches': ['upload_does_not_attach'],
  'onlyoffice.delete-leaves-listed': ['delete_unlinks_file'],
  'onlyoffice.status-code-mismatch': ['envelope_status_code'],
  'caseiq.single-tag-dropped': ['tags_match_upload'],
  'caseiq.boundary-repeated': ['paging_consistent'],
};

test('the conformance suite kills a subset of each API\'s mutants, with the checks meant to catch them', { timeout: 600_000 }, async () => {
  const faults = Object.keys(subset);
  const results = await runMutants({ apis: [...new Set(faults.map((f) => f.split('.')[0]))], faults, concurrency: 2, clean: false });
  expect(Object.fromEntries(results.map((r) => [`${r.api}.${r.fault}`, r.verdict]))).toEqual(Object.fromEntries(faults.map((f) => [f, 'killed'])));
  for (const result of results) expect(result.failedChecks).toEqual(expect.arrayContaining(subset[`${result.api}.${result.fault}`]));
});
