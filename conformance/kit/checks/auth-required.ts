import { defineCheck, CheckFailure, describeExchange } from './check.ts';

/**
 * A request without credentials, or with wrong ones, is refused as unauthenticated: 401, or a
 * status whose documented response is marked `x-attachkit-auth-failure: true` (ONLYOFFICE's file
 * handler answers 403).
 */
export const authRequired = defineCheck({
  name: 'auth_required',
  judgesExpectedOutcome: true,
  description: 'requests without or with wrong credentials are refused with 401',
  applies: (ex) => Boolean(ex.expect.unauthorized && ex.response),
  run(ex) {
    const status = ex.response!.status;
    if (status === 401 || ex.operation?.responses[String(status)]?.['x-attachkit-auth-failure'] === true) return undefined;
    const verdict = status < 300 ? 'was served' : `answered ${status} instead of 401`;
    return new CheckFailure('auth_required', `${describeExchange(ex)}: ${ex.step} ${verdict}`);
  },
});
