import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, grantToken, seededCase } from '../caseiq/caseiq-client.ts';
import { login } from '../onlyoffice/client.ts';
import { judge } from '../support/judge.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';

// Malformed JSON, broken multipart and oversize fields each get the API's documented 4xx, in
// its own dialect (judged against the contract by the conformance checks), never a 500.
let server: RunningServer;
let caseiq: Record<string, string>;
let onlyoffice: Record<string, string>;
beforeAll(async () => {
  server = await startReferenceServer({ config: { maxFileBytes: 4 * 1024 * 1024 } });
  caseiq = bearer(await grantToken(server.url));
  onlyoffice = { Authorization: await login(server.url) };
});
afterAll(() => server.close());

const espo = { 'X-Api-Key': 'espocrm-dev-key' };
const brokenMultipart = (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="caseId"\r\n\r\n${seededCase}\r\n--${boundary}\r\nContent-Disposition: form-da`;
const bigField = 'x'.repeat(2 * 1024 * 1024);

async function refused(apiId: string, method: string, path: string, init: RequestInit): Promise<string[]> {
  const url = `${server.url}${path}`;
  return judge(apiId, method, url, await fetch(url, { method, ...init }), { refused: true });
}

function multipart(fields: Record<string, string>, headers: Record<string, string>): RequestInit {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return { body: form, headers };
}

describe('EspoCRM', () => {
  test('malformed JSON', async () => {
    expect(await refused('espocrm', 'POST', '/api/v1/Attachment', { headers: { ...espo, 'Content-Type': 'application/json' }, body: '{"name":' })).toEqual([]);
    expect(await refused('espocrm', 'POST', '/api/v1/Document', { headers: { ...espo, 'Content-Type': 'application/json' }, body: '[1,' })).toEqual([]);
  });
  test('a body over the upload limit', async () => {
    const body = JSON.stringify({ name: 'big.txt', relatedType: 'Document', field: 'file', file: `data:text/plain;base64,${Buffer.alloc(8 * 1024 * 1024).toString('base64')}` });
    expect(await refused('espocrm', 'POST', '/api/v1/Attachment', { headers: { ...espo, 'Content-Type': 'application/json' }, body })).toEqual([]);
  });
});

describe('Case IQ', () => {
  test('malformed JSON on the token endpoint', async () => {
    expect(await refused('caseiq', 'POST', '/auth/oauth2/token', { headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":' })).toEqual([]);
  });
  test('a cut multipart body', async () => {
    const headers = { ...caseiq, 'Content-Type': 'multipart/form-data; boundary=XyZ' };
    expect(await refused('caseiq', 'POST', '/api-public/1.0/save_file', { headers, body: brokenMultipart('XyZ') })).toEqual([]);
  });
  test('multipart without a boundary', async () => {
    expect(await refused('caseiq', 'POST', '/api-public/1.0/save_file', { headers: { ...caseiq, 'Content-Type': 'multipart/form-data' }, body: 'garbage' })).toEqual([]);
  });
  test('an oversize text field', async () => {
    expect(await refused('caseiq', 'POST', '/api-public/1.0/save_file', multipart({ caseId: seededCase, description: bigField }, caseiq))).toEqual([]);
  });
});

describe('ONLYOFFICE', () => {
  test('malformed JSON', async () => {
    expect(await refused('onlyoffice', 'POST', '/api/2.0/crm/contact/1/files', { headers: { ...onlyoffice, 'Content-Type': 'application/json' }, body: '{"fileids":[' })).toEqual([]);
  });
  test('a cut multipart body', async () => {
    const headers = { ...onlyoffice, 'Content-Type': 'multipart/form-data; boundary=XyZ' };
    expect(await refused('onlyoffice', 'POST', '/api/2.0/crm/contact/1/files/upload', { headers, body: brokenMultipart('XyZ') })).toEqual([]);
  });
  test('an oversize text field', async () => {
    expect(await refused('onlyoffice', 'POST', '/api/2.0/crm/contact/1/files/upload', multipart({ storeOriginalFileFlag: bigField }, onlyoffice))).toEqual([]);
  });
});
