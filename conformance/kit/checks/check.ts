import type { MediaTypeObject, ResponseObject } from '../../../lib/openapi/types.ts';
import type { Exchange } from '../exchange.ts';
import type { SchemaValidator } from '../schema-validator.ts';

/** A departure from the contract, titled in one line. */
export class CheckFailure extends Error {
  constructor(
    readonly check: string,
    readonly title: string,
    readonly detail?: string,
    /** The contract rule broken: a JSON pointer or a short citation. */
    readonly rule?: string,
    /**
     * Set when only a part of the contract marked `x-attachkit-assumed` is broken (neither the
     * vendor's docs nor its source settle it): the failure is an observation, not a failure.
     */
    readonly assumption?: string,
  ) {
    super(title);
    this.name = 'CheckFailure';
  }
}

export interface CheckContext {
  validator: SchemaValidator;
}

/**
 * A named check over one exchange (Schemathesis-style). `applies` is the guard; `run` returns
 * nothing when the exchange passes and a CheckFailure when it does not.
 */
export interface Check {
  name: string;
  description: string;
  /**
   * True for a check that judges the outcome the scenario asked for (`expect.status`, `refused`,
   * `unauthorized`): its outcome is judged under the request's `because` (its evidence and name).
   */
  judgesExpectedOutcome?: boolean;
  applies(exchange: Exchange): boolean;
  run(exchange: Exchange, ctx: CheckContext): CheckFailure | undefined;
}

export function defineCheck(check: Check): Check {
  return check;
}

/** The documented response for the exchange's status: exact code, then `4XX`, then `default`. */
export function documentedResponse(exchange: Exchange): { key: string; response: ResponseObject } | undefined {
  const responses = exchange.operation?.responses ?? {};
  const status = String(exchange.response?.status ?? '');
  for (const key of [status, `${status[0]}XX`, `${status[0]}xx`, 'default']) {
    if (responses[key]) return { key, response: responses[key] };
  }
  return undefined;
}

/**
 * The media types a documented response may carry, and whether its body may be absent. A response
 * that comes with or without a body declares no `content` (generic validators such as Prism's
 * proxy flag an empty body against one) and puts the body's media types under
 * `x-attachkit-optional-content` instead (EspoCRM's errors).
 */
export function documentedContent(response: ResponseObject): { content: Record<string, MediaTypeObject>; key: 'content' | 'x-attachkit-optional-content'; optional: boolean } {
  const optional = response['x-attachkit-optional-content'] as Record<string, MediaTypeObject> | undefined;
  if (response.content || !optional) return { content: response.content ?? {}, key: 'content', optional: false };
  return { content: optional, key: 'x-attachkit-optional-content', optional: true };
}

export function describeExchange(exchange: Exchange): string {
  const op = exchange.operation?.operationId ?? `${exchange.request.method} ${new URL(exchange.request.url).pathname}`;
  return exchange.response ? `${op} → ${exchange.response.status}` : op;
}
