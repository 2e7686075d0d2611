import type { MutantSubset } from '../support/mutant-subset.ts';

export const mutantSubset: MutantSubset = {
  'single-tag-dropped': { checks: ['tags_match_upload'], by: 'observation' },
  'boundary-repeated': { checks: ['paging_consistent'], by: 'failure' },
  // A 500 on a bad cursor breaks an assumed refusal (Case IQ documents no bounds for list parameters).
  'bad-cursor-500': { checks: ['list_refusals', 'expected_status'], by: 'observation' },
};
