import { afterAll, beforeAll, expect, test } from 'vitest';
import { bigField, brokenMultipart, multipart, refused } from '../support/bad-bodies.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { bearer, grantToken, seededCase } from './caseiq-client.ts';

let server: RunningServer;
let auth: Record<string, string>;
beforeAll(async () => {
  server = await startReferenceServer({ apis: ['caseiq'], config: { maxFileBytes: 4 * 1024 * 1024 } });
  auth = bearer(await grantToken(server.url));
});
afterAll(() => server.close());

test('malformed JSON on the token endpoint', async () => {
  expect(await refused(server.url, 'caseiq', 'POST', '/auth/oauth2/token', { headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":' })).toEqual([]);
});
test('a cut multipart body', async () => {
  const headers = { ...auth, 'Content-Type': 'multipart/form-data; boundary=XyZ' };
  expect(await refused(server.url, 'caseiq', 'POST', '/api-public/1.0/save_file', { headers, body: brokenMultipart('XyZ', { name: 'caseId', value: seededCase }) })).toEqual([]);
});
test('multipart without a boundary', async () => {
  expect(await refused(server.url, 'caseiq', 'POST', '/api-public/1.0/save_file', { headers: { ...auth, 'Content-Type': 'multipart/form-data' }, body: 'garbage' })).toEqual([]);
});
test('an oversize text field', async () => {
  expect(await refused(server.url, 'caseiq', 'POST', '/api-public/1.0/save_file', multipart({ caseId: seededCase, description: bigField }, auth))).toEqual([]);
});
