import type { MutantSubset } from '../support/mutant-subset.ts';

export const mutantSubset: MutantSubset = {
  'upload-attaches': { checks: ['upload_does_not_attach'], by: 'failure' },
  'delete-leaves-listed': { checks: ['delete_unlinks_file'], by: 'failure' },
  'status-code-mismatch': { checks: ['envelope_status_code'], by: 'failure' },
};
