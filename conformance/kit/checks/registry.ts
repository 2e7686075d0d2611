import type { Exchange } from '../exchange.ts';
import { authRequired } from './auth-required.ts';
import { badInputRefused } from './bad-input-refused.ts';
import { bytesRoundTrip } from './bytes-round-trip.ts';
import { CheckFailure, type Check, type CheckContext } from './check.ts';
import { contentLengthMatches } from './content-length-matches.ts';
import { contentTypeDocumented } from './content-type-documented.ts';
import { downloadMatchesRecord } from './download-matches-record.ts';
import { expectedStatus } from './expected-status.ts';
import { requiredHeadersPresent } from './required-headers-present.ts';
import { responseSchemaConformance } from './response-schema-conformance.ts';
import { statusCodeDocumented } from './status-code-documented.ts';

/** Every check, shared by all APIs; per-API code only writes scenarios. */
export const checks: readonly Check[] = [
  contentLengthMatches,
  statusCodeDocumented,
  contentTypeDocumented,
  responseSchemaConformance,
  requiredHeadersPresent,
  authRequired,
  badInputRefused,
  expectedStatus,
  bytesRoundTrip,
  downloadMatchesRecord,
];

export interface CheckOutcome {
  check: string;
  /** The check judges the outcome the scenario asked for (see Check.judgesExpectedOutcome). */
  judgesExpectedOutcome: boolean;
  passed: boolean;
  failure?: CheckFailure;
}

/** Runs every check whose guard applies; a check that throws is reported as failed, not lost. */
export function runChecks(exchange: Exchange, ctx: CheckContext, selected: readonly Check[] = checks): CheckOutcome[] {
  const outcomes: CheckOutcome[] = [];
  for (const check of selected) {
    if (!check.applies(exchange)) continue;
    let failure: CheckFailure | undefined;
    try {
      failure = check.run(exchange, ctx);
    } catch (error) {
      failure = new CheckFailure(check.name, `${check.name} crashed: ${(error as Error).message}`);
    }
    outcomes.push({ check: check.name, judgesExpectedOutcome: check.judgesExpectedOutcome === true, passed: !failure, failure });
  }
  return outcomes;
}
