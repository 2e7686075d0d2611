import { expect, onTestFinished, test, vi } from 'vitest';
import { apis } from '../../registry.ts';
import { openStore } from '../../server/store/open-store.ts';
import { coreMigrations } from '../../server/store/store.ts';
import { startReferenceServer } from '../support/reference-server.ts';

test('the server migrates its store in one pass with every API\'s migrations (one lock transaction on PostgreSQL, not one per API)', async () => {
  const store = await openStore({ dataDir: '', inMemory: true, env: process.env });
  onTestFinished(() => store.close());
  const passes = vi.spyOn(store.records, 'migrate');
  const server = await startReferenceServer({ store });
  onTestFinished(() => server.close());
  const expected = [...coreMigrations, ...(await Promise.all(apis.map((api) => api.server()))).flatMap((api) => api.migrations)].map((m) => m.id);
  expect(passes.mock.calls.map(([migrations]) => migrations.map((m) => m.id))).toEqual([expected]);
});
