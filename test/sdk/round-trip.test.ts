import { describe, expect, test } from 'vitest';
import type { ZodType } from 'zod';
import { apis } from '../../registry.ts';
import { startPrism } from '../support/prism.ts';
import { serverForTest } from '../support/scoped.ts';
import { sampleFiles, type RoundTrip } from '../support/sdk-round-trip.ts';
import { devCredentials, generatedModule, sdkRoundTrip } from '../support/sdk-round-trips.ts';

/**
 * The spec-first developer's path, per API and only through the generated SDK: upload → link →
 * list → download, with raw bytes, non-UTF-8 text and JSON files, one with a UTF-8 name.
 */
const files = sampleFiles();

/** Every JSON success body parses with the operation's generated zod response schema. */
async function expectZodParses(apiId: string, roundTrip: RoundTrip) {
  const api = apis.find((a) => a.id === apiId)!;
  const zod = await generatedModule<Record<string, ZodType>>(api, 'zod.gen.ts');
  const successes = roundTrip.json.filter((call) => call.status >= 200 && call.status < 300);
  expect(successes.length).toBeGreaterThan(0);
  for (const call of successes) {
    const schema = zod[`z${call.operationId[0].toUpperCase()}${call.operationId.slice(1)}Response`];
    if (!schema) continue; // an operation without a JSON body (204)
    const parsed = schema.safeParse(call.data);
    expect(parsed.success, `${call.operationId}: ${parsed.error?.message}`).toBe(true);
  }
}

describe.each(apis.map((a) => a.id))('%s SDK', (id) => {
  const api = apis.find((a) => a.id === id)!;

  test('round trip against the reference server: bytes identical, names kept, auth enforced, responses match the zod schemas', async () => {
    const { url } = await serverForTest({ apis: [id] });
    const result = await (await sdkRoundTrip(id))({ baseUrl: url, credentials: devCredentials(api), files });
    expect(result.json.filter((call) => call.status >= 400)).toEqual([]);
    expect(result.listed.sort()).toEqual(files.map((f) => f.name).sort());
    expect(result.downloads.map((d) => ({ name: d.name, status: d.status, isBlob: d.isBlob, base64: d.base64 }))).toEqual(
      files.map((f) => ({ name: f.name, status: 200, isBlob: true, base64: f.base64 })),
    );
    for (const download of result.downloads) expect(download.contentDisposition).toContain(encodeURIComponent(download.name).replaceAll("'", '%27'));
    expect(result.unauthenticatedStatus).toBe(401);
    await expectZodParses(id, result);
  });

  test('the same code against attachkit mock: every call answered, downloads come back as bytes', async () => {
    const mock = await startPrism(id);
    try {
      const result = await (await sdkRoundTrip(id))({ baseUrl: mock.url, credentials: devCredentials(api), files });
      expect(result.json.filter((call) => call.status >= 400)).toEqual([]);
      expect(result.downloads.length).toBeGreaterThan(0);
      for (const download of result.downloads) {
        expect(download.status).toBe(200);
        expect(download.isBlob).toBe(true);
      }
      expect(result.unauthenticatedStatus).toBe(401);
      await expectZodParses(id, result);
    } finally {
      await mock.stop();
    }
  });
});
