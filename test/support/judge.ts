import { findApi, specFile } from '../../registry.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import { runChecks } from '../../conformance/kit/checks/registry.ts';
import type { Exchange, RequestExpectation } from '../../conformance/kit/exchange.ts';
import { SchemaValidator } from '../../conformance/kit/schema-validator.ts';

const contracts = new Map<string, { index: OperationIndex; validator: SchemaValidator }>();

function contract(apiId: string) {
  let found = contracts.get(apiId);
  if (!found) {
    const index = new OperationIndex(loadSpec(specFile(findApi(apiId)!)));
    found = { index, validator: new SchemaValidator(index.doc) };
    contracts.set(apiId, found);
  }
  return found;
}

/**
 * Judges a raw response with the conformance suite's own checks (documented status, media type,
 * schema of the API's dialect, required headers, plus the expectation). Returns failure titles.
 */
export async function judge(apiId: string, method: string, url: string, response: Response, expect: RequestExpectation): Promise<string[]> {
  const { index, validator } = contract(apiId);
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const exchange: Exchange = {
    index: 0,
    step: `${method} ${new URL(url).pathname}`,
    request: { method, url, headers: {}, bodyExcerpt: '', bodyBytes: 0 },
    response: { status: response.status, headers, body },
    operation: index.match(method, new URL(url).pathname)?.operation,
    expect,
    durationMs: 0,
  };
  if (!exchange.operation) return [`${method} ${url} matches no operation of ${apiId}`];
  return runChecks(exchange, { validator }).filter((o) => !o.passed).map((o) => o.failure!.title);
}
