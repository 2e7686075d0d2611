import { afterAll, beforeAll, expect, test } from 'vitest';
import { configuredCredential, findApi } from '../../registry.ts';
import { refused } from '../support/bad-bodies.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startReferenceServer({ apis: ['espocrm'], config: { maxFileBytes: 4 * 1024 * 1024 } });
});
afterAll(() => server.close());

const espo = { 'X-Api-Key': configuredCredential(findApi('espocrm')!, 'api-key') };

test('malformed JSON', async () => {
  expect(await refused(server.url, 'espocrm', 'POST', '/api/v1/Attachment', { headers: { ...espo, 'Content-Type': 'application/json' }, body: '{"name":' })).toEqual([]);
  expect(await refused(server.url, 'espocrm', 'POST', '/api/v1/Document', { headers: { ...espo, 'Content-Type': 'application/json' }, body: '[1,' })).toEqual([]);
});

test('a body over the upload limit', async () => {
  const body = JSON.stringify({ name: 'big.txt', relatedType: 'Document', field: 'file', file: `data:text/plain;base64,${Buffer.alloc(8 * 1024 * 1024).toString('base64')}` });
  expect(await refused(server.url, 'espocrm', 'POST', '/api/v1/Attachment', { headers: { ...espo, 'Content-Type': 'application/json' }, body })).toEqual([]);
});
