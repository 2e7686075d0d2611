import { assumed, defineExpectations } from './expectations.ts';

/** Expectations of the suite itself, for every API (api `*`). */
export const suiteExpectations = defineExpectations('*', {
  generated_invalid_input_refused: {
    title: 'an invalid request generated from the contract is refused with a 4xx',
    evidence: assumed("the contract's schema forbids the input, but neither the vendor's docs nor its source say it refuses this kind of input"),
  },
});
