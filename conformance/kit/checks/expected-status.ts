import { defineCheck, CheckFailure, describeExchange } from './check.ts';

/** The status the contract promises for this situation (an exact code, or any 2xx for a success). */
export const expectedStatus = defineCheck({
  name: 'expected_status',
  judgesExpectedOutcome: true,
  description: 'the status is the one the contract promises for the situation the scenario set up',
  applies: (ex) => Boolean((ex.expect.status !== undefined || ex.expect.success) && ex.response),
  run(ex) {
    const status = ex.response!.status;
    if (ex.expect.status !== undefined && status !== ex.expect.status) {
      return new CheckFailure('expected_status', `${describeExchange(ex)}: expected ${ex.expect.status} for ${ex.step}`, bodyExcerpt(ex.response!.body, ex.response!.headers));
    }
    if (ex.expect.success && (status < 200 || status > 299)) {
      return new CheckFailure('expected_status', `${describeExchange(ex)}: expected success for ${ex.step}`, bodyExcerpt(ex.response!.body, ex.response!.headers));
    }
    return undefined;
  },
});

function bodyExcerpt(body: Buffer, headers: Record<string, string>): string {
  const reason = headers['x-status-reason'] ? `X-Status-Reason: ${headers['x-status-reason']}\n` : '';
  return reason + body.subarray(0, 300).toString('utf8');
}
