import { expect, test } from 'vitest';
import { runMutants } from '../../conformance/mutants/run-mutants.ts';

// Faults only the scenarios' own verifications can catch (no schema or status check sees them);
// `npm run mutants -- --api onlyoffice` runs all of them.
const subset = ['onlyoffice.upload-attaches', 'onlyoffice.delete-leaves-listed', 'onlyoffice.status-code-mismatch'];

test('the ONLYOFFICE suite passes the clean server and kills the faults only its scenarios can see', async () => {
  const results = await runMutants({ apis: ['onlyoffice'], faults: subset, concurrency: 2 });
  const verdicts = Object.fromEntries(results.map((r) => [`${r.api}.${r.fault}`, r.verdict]));
  expect(verdicts).toEqual({ 'onlyoffice.clean': 'passed', ...Object.fromEntries(subset.map((f) => [f, 'killed'])) });
  const checks = Object.fromEntries(results.map((r) => [r.fault, r.failedChecks]));
  expect(checks['upload-attaches']).toContain('upload_does_not_attach');
  expect(checks['delete-leaves-listed']).toContain('delete_unlinks_file');
  expect(checks['status-code-mismatch']).toEqual(['envelope_status_code']);
});
