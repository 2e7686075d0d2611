import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { serverForTest } from '../support/scoped.ts';
import { loadWireFixtures, replayWireFixture } from '../support/wire-replay.ts';

// ONLYOFFICE's Ruby API gem (onlyoffice_api), as it was captured against the reference server
// (test/onlyoffice/wire/): login as a form, upload, attach as a form (fileids[]=), list, download
// with the asc_auth_key cookie, delete.
const wire = path.join(path.dirname(fileURLToPath(import.meta.url)), 'wire');

describe("ONLYOFFICE's Ruby gem, replayed from its wire fixture", () => {
  for (const { name, fixture } of loadWireFixtures(wire)) {
    test(`${name}: ${fixture.client}`, async () => {
      const { url } = await serverForTest({ apis: ['onlyoffice'], config: { log: () => {} } });
      expect(await replayWireFixture(fixture, url)).toEqual([]);
    });
  }

  test('a replay fails where the server departs from what the gem needs (attach that ignores the files)', async () => {
    const { url } = await serverForTest({ apis: ['onlyoffice'], faults: ['onlyoffice.attach-ignores-files'], config: { log: () => {} } });
    const problems = await replayWireFixture(loadWireFixtures(wire)[0].fixture, url);
    expect(problems[0]).toMatch(/^#4 POST \/api\/2\.0\/crm\/contact\/1\/files: response\.files is \[\], expected 1 items/);
  });
});
