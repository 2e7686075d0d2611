import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import type { OpenApiDocument } from '../../lib/openapi/types.ts';
import { downloadMatchesRecord } from '../../conformance/kit/checks/download-matches-record.ts';
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
            headers: {
              'Content-Disposition': { required: true, 'x-attachkit-record-field': 'name', schema: { type: 'string' } },
              'Content-Length': { 'x-attachkit-record-field': 'size', schema: { type: 'integer' } },
              'Content-Type': { 'x-attachkit-record-field': 'type', 'x-attachkit-assumed': 'the media type is not documented', schema: { type: 'string' } },
            },
            content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    // What the vendor does not settle is marked x-attachkit-assumed: breaking only that is an observation.
    '/guess': {
      get: {
        operationId: 'getGuess',
        responses: {
          '200': {
            description: 'a guessed shape',
            headers: { 'X-Guess': { required: true, 'x-attachkit-assumed': 'nobody documents it', schema: { type: 'string' } } },
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id'],
                  properties: { id: { type: 'integer' }, when: { type: 'string', format: 'date-time', 'x-attachkit-assumed': 'documented as "UTC time" only' } },
                },
              },
            },
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
  download_matches_record: {
    exchange: exchange('downloadThing', { status: 200, headers: { 'content-disposition': 'attachment; filename="a.txt"' }, body: bytes }, { record: { name: 'b.txt', size: 4 } }),
    title: /Content-Disposition is 'attachment; filename="a\.txt"', the record's name is "b\.txt"/,
  },
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

describe('the vendor-pinned part of the contract fails, the assumed part is an observation', () => {
  const guess = (headers: Record<string, string>, body: unknown) => exchange('getGuess', { status: 200, headers: { ...json, ...headers }, body: JSON.stringify(body) });

  test('a body breaking only an assumed schema is an observation; breaking a pinned one is a failure', () => {
    const assumed = runChecks(guess({ 'x-guess': 'g' }, { id: 1, when: 'yesterday' }), ctx).find((o) => o.check === 'response_schema_conformance')!;
    expect(assumed.passed).toBe(false);
    expect(assumed.failure?.title).toBe('getGuess → 200: body breaks an assumed part of the schema: /when must match format "date-time"');
    expect(assumed.failure?.assumption).toMatch(/x-attachkit-assumed/);
    const pinned = runChecks(guess({ 'x-guess': 'g' }, { id: 'one', when: 'yesterday' }), ctx).find((o) => o.check === 'response_schema_conformance')!;
    expect(pinned.failure?.title).toBe('getGuess → 200: body breaks the schema: /id must be integer');
    expect(pinned.failure?.assumption).toBeUndefined();
  });

  test('a missing header the contract only assumes is an observation', () => {
    const missing = runChecks(guess({}, { id: 1 }), ctx).find((o) => o.check === 'required_headers_present')!;
    expect(missing.failure?.title).toBe('getGuess → 200: missing required header X-Guess');
    expect(missing.failure?.assumption).toBe('X-Guess: nobody documents it');
  });
});

describe('download_matches_record', () => {
  const download = (disposition: string, record: Record<string, unknown>, length = bytes.length) =>
    exchange('downloadThing', { status: 200, headers: { 'content-disposition': disposition, 'content-length': String(length) }, body: bytes }, { record });

  test("reads the name from filename* (RFC 6266), from filename with escaped quotes, or with EspoCRM's unescaped ones", () => {
    expect(downloadMatchesRecord.run(download(`attachment; filename="r?sum?.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`, { name: 'résumé.txt', size: 4 }), ctx)).toBeUndefined();
    expect(downloadMatchesRecord.run(download('attachment; filename="say \\"hi\\".txt"', { name: 'say "hi".txt', size: 4 }), ctx)).toBeUndefined();
    expect(downloadMatchesRecord.run(download('attachment; filename="say "hi".txt"', { name: 'say "hi".txt', size: 4 }), ctx)).toBeUndefined();
  });

  test('fails on a Content-Length that is not the record\'s size, and skips fields the record leaves empty', () => {
    expect(downloadMatchesRecord.run(download('attachment; filename="a.txt"', { name: 'a.txt', size: 5 }), ctx)?.title).toBe(
      "downloadThing → 200: Content-Length is '4', the record's size is 5",
    );
    expect(downloadMatchesRecord.run(download('attachment; filename="a.txt"', { name: 'a.txt', size: null }), ctx)).toBeUndefined();
  });

  test('a header the contract only assumes that disagrees is an observation; with a pinned one wrong too, a failure', () => {
    const typed = (name: string) => exchange('downloadThing', { status: 200, headers: { 'content-disposition': `attachment; filename="${name}"`, 'content-length': '4', 'content-type': 'application/pdf' }, body: bytes }, { record: { name: 'a.txt', size: 4, type: 'text/plain' } });
    const onlyAssumed = downloadMatchesRecord.run(typed('a.txt'), ctx);
    expect(onlyAssumed?.title).toBe("downloadThing → 200: Content-Type is 'application/pdf', the record's type is \"text/plain\"");
    expect(onlyAssumed?.assumption).toBe('Content-Type: the media type is not documented');
    const alsoPinned = downloadMatchesRecord.run(typed('b.txt'), ctx);
    expect(alsoPinned?.title).toMatch(/Content-Disposition is .*; Content-Type is/);
    expect(alsoPinned?.assumption).toBeUndefined();
  });
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
