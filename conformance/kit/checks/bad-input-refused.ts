import { defineCheck, CheckFailure, describeExchange } from './check.ts';

/** Invalid input is refused with a 4xx: a 2xx accepted it, a 5xx crashed on it. */
export const badInputRefused = defineCheck({
  name: 'bad_input_refused',
  judgesExpectedOutcome: true,
  description: 'invalid input gets a 4xx: never a 2xx, never a 5xx',
  applies: (ex) => Boolean(ex.expect.refused && ex.response),
  run(ex) {
    const status = ex.response!.status;
    if (status >= 400 && status < 500) return undefined;
    const verdict = status >= 500 ? 'server error on' : 'accepted';
    return new CheckFailure('bad_input_refused', `${describeExchange(ex)}: ${verdict} invalid input (${ex.step})`);
  },
});
