import { afterAll, beforeAll, expect, test } from 'vitest';
import { bigField, brokenMultipart, multipart, refused } from '../support/bad-bodies.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { login } from './client.ts';

let server: RunningServer;
let auth: Record<string, string>;
beforeAll(async () => {
  server = await startReferenceServer({ apis: ['onlyoffice'], config: { maxFileBytes: 4 * 1024 * 1024 } });
  auth = { Authorization: await login(server.url) };
});
afterAll(() => server.close());

test('malformed JSON', async () => {
  expect(await refused(server.url, 'onlyoffice', 'POST', '/api/2.0/crm/contact/1/files', { headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"fileids":[' })).toEqual([]);
});
test('a cut multipart body', async () => {
  const headers = { ...auth, 'Content-Type': 'multipart/form-data; boundary=XyZ' };
  expect(await refused(server.url, 'onlyoffice', 'POST', '/api/2.0/crm/contact/1/files/upload', { headers, body: brokenMultipart('XyZ', { name: 'storeOriginalFileFlag', value: 'true' }) })).toEqual([]);
});
test('an oversize text field', async () => {
  expect(await refused(server.url, 'onlyoffice', 'POST', '/api/2.0/crm/contact/1/files/upload', multipart({ storeOriginalFileFlag: bigField }, auth))).toEqual([]);
});
