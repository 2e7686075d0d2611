import type { IndexedOperation } from '../../lib/openapi/operation-index.ts';
import type { Expectation } from './expectations.ts';

/** What a scenario expects of one request; the checks whose guards match use it. */
export interface RequestExpectation {
  /** Exact status the contract promises for this situation. */
  status?: number;
  /** Any 2xx. */
  success?: boolean;
  /** Invalid input: must be refused with a 4xx (never a 2xx, never a 5xx). */
  refused?: boolean;
  /** Sent without or with wrong credentials: must be refused as unauthenticated. */
  unauthorized?: boolean;
  /** The body must hash to this sha256 (bytes round-trip). */
  sha256?: string;
  /** The stored record a download is of, as the API reported it: its headers must agree where the contract says. */
  record?: Record<string, unknown>;
  /**
   * The registered expectation that says why `status`, `success` or `refused` holds for this
   * request. Its evidence decides what a miss is: a failure, or (when assumed) an observation.
   * Without it the status is the contract's word, and a miss fails the run.
   */
  because?: Expectation;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Redacted, truncated text of the body for reports. */
  bodyExcerpt: string;
  bodyBytes: number;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request and its response, resolved to the contract's operation. */
export interface Exchange {
  index: number;
  step: string;
  request: RecordedRequest;
  /** Undefined when the transport failed (connection reset, truncated body, timeout). */
  response?: RecordedResponse;
  transportError?: string;
  operation?: IndexedOperation;
  expect: RequestExpectation;
  durationMs: number;
}

export function mediaType(headerValue: string | undefined): string | undefined {
  return headerValue?.split(';')[0].trim().toLowerCase() || undefined;
}

export function isJsonMediaType(type: string | undefined): boolean {
  return type !== undefined && (type === 'application/json' || type.endsWith('+json'));
}
