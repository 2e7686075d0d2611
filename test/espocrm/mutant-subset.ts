import type { MutantSubset } from '../support/mutant-subset.ts';

export const mutantSubset: MutantSubset = {
  'note-put-appends': { checks: ['note_put_replaces_list', 'note_put_unlinks_omitted'], by: 'failure' },
  'status-reason-stripped': { checks: ['error_reason_sent', 'required_headers_present'], by: 'failure' },
  'any-api-key-accepted': { checks: ['auth_required'], by: 'failure' },
};
