import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { configuredCredential, findApi } from '../../registry.ts';
import { serverForTest } from '../support/scoped.ts';
import { loadWireFixtures, replayWireFixture, type ComputedHeader } from '../support/wire-replay.ts';

// EspoCRM's own clients, as they were captured against the reference server (test/espocrm/wire/):
// its documentation's JS client (hex and, before 2025, raw-binary HMAC) and its PHP client (1.x
// hex HMAC, 0.1.x raw-binary HMAC, API key, Basic).
const wire = path.join(path.dirname(fileURLToPath(import.meta.url)), 'wire');
const secret = configuredCredential(findApi('espocrm')!, 'secret-key', {});

/** X-Hmac-Authorization as the client computes it: base64(key + ':' + digest of the message). */
function computeHeader(_name: string, spec: ComputedHeader): string {
  const digest = createHmac('sha256', secret).update(spec.message).digest();
  const presented = spec.hmac === 'raw' ? digest : Buffer.from(digest.toString('hex'));
  return Buffer.concat([Buffer.from(`${spec.key}:`), presented]).toString('base64');
}

describe("EspoCRM's own clients, replayed from their wire fixtures", () => {
  for (const { name, fixture } of loadWireFixtures(wire)) {
    test(`${name}: ${fixture.client}`, async () => {
      const { url } = await serverForTest({ apis: ['espocrm'], config: { log: () => {} } });
      expect(await replayWireFixture(fixture, url, { computeHeader })).toEqual([]);
    });
  }

  test('a replay fails where the server departs from what the client needs (a server answering creates with 201)', async () => {
    const { url } = await serverForTest({ apis: ['espocrm'], faults: ['espocrm.create-answers-201'], config: { log: () => {} } });
    const [{ fixture }] = loadWireFixtures(wire).filter((f) => f.name === 'php-client-1.0-api-key');
    const problems = await replayWireFixture(fixture, url, { computeHeader });
    expect(problems[0]).toMatch(/^#1 POST \/api\/v1\/Attachment: status 201, the client needs 200/);
  });
});
