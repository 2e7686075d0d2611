import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apis } from '../../registry.ts';
import { exampleRequest } from '../../conformance/kit/example-requests.ts';
import { Session } from '../../conformance/kit/session.ts';
import type { Target } from '../../conformance/kit/target.ts';
import { secretEquals } from '../../server/kit/constant-time.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

function target(api: string): Target {
  return { api, baseUrl: server.url, credentials: {}, options: {}, stateless: false, runId: 'security', seed: 1, negativeLimit: 0, readOnly: false, keep: false, strict: false };
}

describe('auth on every route of every API', () => {
  for (const entry of apis) {
    test(`${entry.id}: every secured operation refuses a request without credentials, and unknown paths are not served`, async () => {
      const session = await Session.open(target(entry.id));
      const secured = session.index.operations.filter((op) => !op.open);
      for (const operation of secured) {
        await session.call(operation.operationId, { ...exampleRequest(session.index.doc, operation), auth: 'none', expect: { unauthorized: true }, step: 'no credentials' });
      }
      expect(session.failures().map((f) => f.title)).toEqual([]);
      expect(session.exchanges.filter((e) => e.expect.unauthorized).length).toBe(secured.length);
      const unknown = await fetch(`${server.url}${entry.basePath}/attachkit-no-such-route`);
      expect([401, 404]).toContain(unknown.status);
    });
  }
});

describe('secrets are compared in constant time', () => {
  test('secretEquals compares digests, so length and position of a difference do not matter to it', () => {
    expect(secretEquals('a-long-credential-value', 'a-long-credential-value')).toBe(true);
    expect(secretEquals('a-long-credential-valuf', 'a-long-credential-value')).toBe(false);
    expect(secretEquals('x', 'a-long-credential-value')).toBe(false);
    expect(secretEquals('', '')).toBe(true);
    expect(secretEquals(undefined, 'a-long-credential-value')).toBe(false);
  });
});
