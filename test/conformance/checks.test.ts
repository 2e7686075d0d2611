import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import type { OpenApiDocument } from '../../lib/openapi/types.ts';
import { checks, runChecks } from '../../conformance/kit/checks/registry.ts';
import type { Exchange, RequestExpectation } from '../../conformance/kit/exchange.ts';
import { SchemaValidator } from '../../conformance/kit/schema-validator.ts';

// A small contract with one of everything the checks read.
const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'checks', version: '1' },
  servers: [{ url: '{siteUrl}/api', variables: { siteUrl: { default: 'http://x' } } }],
  paths: {
    '/thing/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            headers: { 'X-Trace': { required: true, schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { description: 'no body' },
          '404': { description: 'missing', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/thing/{id}/file': {
      get: {
        operationId: 'downloadThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'bytes',
            headers: { 'Content-Disposition': { required: true, schema: { type: 'string' } } },
            content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: { Thing: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, size: { type: 'integer' } } } },
    responses: {
      BadRequest: {
        description: 'maybe empty',
        'x-attachkit-optional-content': { 'application/json': { schema: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } } },
      },
    },
  },
};

const index = new OperationIndex(doc);
const ctx = { validator: new SchemaValidator(index.doc) };

function exchange(
  operationId: string,
  response: { status: number; headers?: Record<string, string>; body?: string | Buffer } | undefined,
  expect: RequestExpectation = {},
  transportError?: string,
): Exchange {
  const operation = index.get(operationId);
  const body = Buffer.isBuffer(response?.body) ? response.body : Buffer.from(response?.body ?? '');
  const headers: Record<string, string> = { ...(response?.headers ?? {}) };
  if (response && body.length && !('content-length' in headers)) headers['content-length'] = String(body.length);
  return {
    index: 0,
    step: 'test step',
    request: { method: operation.method.toUpperCase(), url: 'http://x/api/thing/1', headers: {}, bodyExcerpt: '', bodyBytes: 0 },
    response: response && { status: response.status, headers, body },
    transportError,
    operation,
    expect,
    durationMs: 1,
  };
}

const json = { 'content-type': 'application/json' };
const good = exchange('getThing', { status: 200, headers: { ...json, 'x-trace': 't' }, body: '{"id":"a","size":1}' });
const bytes = Buffer.from([0, 1, 2, 0xff]);
const sha = createHash('sha256').update(bytes).digest('hex');

/** For every check: an exchange it must fail, and the words its title must contain. */
const failing: Record<string, { exchange: Exchange; title: RegExp }> = {
  content_length_matches: {
    exchange: exchange('downloadThing', { status: 200, headers: { 'content-length': '10', 'content-disposition': 'attachment' }, body: bytes }),
    title: /Content-Length 10 but 4 bytes received/,
  },
  status_code_documented: { exchange: exchange('getThing', { status: 500, headers: json, body: '{}' }), title: /status 500 is not documented/ },
  content_type_documented: {
    exchange: exchange('getThing', { status: 200, headers: { 'content-type': 'text/html', 'x-trace': 't' }, body: '<h1>hi</h1>' }),
    title: /Content-Type text\/html is not documented/,
  },
  response_schema_conformance: {
    exchange: exchange('getThing', { status: 200, headers: { ...json, 'x-trace': 't' }, body: '{"size":"big"}' }),
    title: /body breaks the schema/,
  },
  required_headers_present: {
    exchange: exchange('downloadThing', { status: 200, headers: { 'content-type': 'application/pdf' }, body: bytes }),
    title: /missing required header Content-Disposition/,
  },
  auth_required: { exchange: exchange('getThing', { status: 200, headers: { ...json, 'x-trace': 't' }, body: '{"id":"a"}' }, { unauthorized: true }), title: /was served/ },
  bad_input_refused: { exchange: exchange('getThing', { status: 500, body: '' }, { refused: true }), title: /server error on invalid input/ },
  expected_status: { exchange: exchange('getThing', { status: 400, body: '' }, { status: 404 }), title: /expected 404/ },
  bytes_round_trip: {
    exchange: exchange('downloadThing', { status: 200, headers: { 'content-disposition': 'attachment' }, body: bytes.subarray(0, 2) }, { sha256: sha }),
    title: /downloaded 2 bytes differ from the upload/,
  },
};

describe('every check can fail', () => {
  test('each registered check has a failing fixture here', () => {
    expect(checks.map((c) => c.name).sort()).toEqual(Object.keys(failing).sort());
  });

  for (const check of checks) {
    test(`${check.name} fails on a deliberately wrong response`, () => {
      const { exchange: ex, title } = failing[check.name];
      expect(check.applies(ex)).toBe(true);
      const failure = check.run(ex, ctx);
      expect(failure?.check).toBe(check.name);
      expect(failure?.title).toMatch(title);
      expect(failure?.title).not.toContain('\n');
    });
  }
});

describe('and passes on a conforming one', () => {
  test('a conforming JSON response passes every applicable check', () => {
    const outcomes = runChecks(good, ctx);
    expect(outcomes.map((o) => o.check)).toEqual(['content_length_matches', 'status_code_documented', 'content_type_documented', 'response_schema_conformance', 'required_headers_present']);
    expect(outcomes.every((o) => o.passed)).toBe(true);
  });

  test('a whole download with its headers round-trips', () => {
    const ex = exchange('downloadThing', { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': 'attachment' }, body: bytes }, { sha256: sha, success: true });
    expect(runChecks(ex, ctx).filter((o) => !o.passed)).toEqual([]);
  });

  test('an error response may be empty only where the contract says so', () => {
    const allowed = exchange('getThing', { status: 400, body: '' }, { refused: true, status: 400 });
    expect(runChecks(allowed, ctx).filter((o) => !o.passed)).toEqual([]);
    const notAllowed = exchange('getThing', { status: 404, body: '' });
    const failed = runChecks(notAllowed, ctx).filter((o) => !o.passed);
    expect(failed.map((o) => o.failure?.title)).toEqual(['getThing → 404: body is empty; the contract documents application/json']);
  });

  test('a body that may be absent is still held to its schema when it comes', () => {
    const conforming = exchange('getThing', { status: 400, headers: json, body: '{"message":"no"}' }, { refused: true });
    expect(runChecks(conforming, ctx).filter((o) => !o.passed)).toEqual([]);
    const breaking = exchange('getThing', { status: 400, headers: json, body: '{"reason":"no"}' }, { refused: true });
    const failed = runChecks(breaking, ctx).filter((o) => !o.passed);
    expect(failed.map((o) => o.check)).toEqual(['response_schema_conformance']);
    const wrongType = exchange('getThing', { status: 400, headers: { 'content-type': 'text/html' }, body: '<h1>no</h1>' }, { refused: true });
    expect(runChecks(wrongType, ctx).filter((o) => !o.passed).map((o) => o.check)).toEqual(['content_type_documented']);
  });

  test('refusals with 401 and 4xx pass auth_required and bad_input_refused', () => {
    expect(runChecks(exchange('getThing', { status: 401 }, { unauthorized: true }), ctx).every((o) => o.passed)).toBe(true);
    expect(runChecks(exchange('getThing', { status: 400, headers: json, body: '{"message":"no"}' }, { refused: true }), ctx).every((o) => o.passed)).toBe(true);
  });

  test('a cut transfer is reported by content_length_matches', () => {
    const outcomes = runChecks(exchange('downloadThing', undefined, {}, 'body cut off: terminated'), ctx);
    expect(outcomes).toEqual([expect.objectContaining({ check: 'content_length_matches', passed: false })]);
  });
});
