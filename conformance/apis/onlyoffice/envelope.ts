import { isJsonMediaType, mediaType } from '../../kit/exchange.ts';
import type { CallResult, Session } from '../../kit/session.ts';
import { onlyofficeExpectations as expectations } from './expectations.ts';

/**
 * What the schema cannot say about ONLYOFFICE's envelope: `statusCode` repeats the HTTP
 * status, `status` is 0 for success and 1 for errors, `count` is the collection length (1 for
 * one value, omitted for none), and every key is camelCase, payload included.
 */
export function verifyEnvelope(session: Session, result: CallResult): void {
  if (!isJsonMediaType(mediaType(result.headers['content-type'])) || result.body.length === 0) return;
  let body: unknown;
  try {
    body = JSON.parse(result.body.toString('utf8'));
  } catch {
    return; // response_schema_conformance reports a body that is not JSON
  }
  const step = result.exchange.step;
  const badKeys = nonCamelCaseKeys(body);
  session.verify(expectations.camel_case_keys, badKeys.length === 0, `${step}: keys are not camelCase: ${badKeys.slice(0, 4).join(', ')}${badKeys.length > 4 ? ', …' : ''}`);
  const envelope = body as { count?: unknown; status?: unknown; statusCode?: unknown; response?: unknown };
  const present = typeof body === 'object' && body !== null && !Array.isArray(body) && 'status' in envelope && 'statusCode' in envelope;
  if (!session.verify(expectations.envelope_present, present, `${step}: the body is not wrapped in the {status, statusCode, …} envelope`)) return;
  session.verify(expectations.envelope_status_code, envelope.statusCode === result.status, `${step}: the envelope's statusCode is ${envelope.statusCode} but the HTTP status is ${result.status}`);
  const ok = result.status < 400;
  session.verify(expectations.envelope_status, envelope.status === (ok ? 0 : 1), `${step}: the envelope's status is ${envelope.status} for HTTP ${result.status} (expected ${ok ? 0 : 1})`);
  if (!ok) return;
  const expected = Array.isArray(envelope.response) ? envelope.response.length : envelope.response === null || envelope.response === undefined ? 0 : 1;
  session.verify(expectations.envelope_count, (envelope.count ?? 0) === expected, `${step}: the envelope's count is ${envelope.count ?? 'omitted'} for ${describe(envelope.response)} (expected ${expected || 'omitted'})`);
}

function describe(payload: unknown): string {
  return Array.isArray(payload) ? `a list of ${payload.length}` : payload === null || payload === undefined ? 'no payload' : 'a single value';
}

/** Paths of keys starting with a capital; `error.data` (an exception's dictionary) is free-form. */
function nonCamelCaseKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => nonCamelCaseKeys(item, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const here = `${path}/${key}`;
    const own = /^[A-Z]/.test(key) ? [here] : [];
    return here === '/error/data' ? own : [...own, ...nonCamelCaseKeys(inner, here)];
  });
}
