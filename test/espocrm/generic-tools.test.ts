import { describe, expect, onTestFinished, test } from 'vitest';
import { responseViolations, startPrismProxy } from '../support/prism.ts';
import { serverForTest } from '../support/scoped.ts';

// The contract read by a generic tool: Prism's validation proxy in front of the reference server
// finds nothing wrong in EspoCRM's answers, including its empty-bodied errors (no media type is
// declared for a response that may come without a body; headers sent empty are not required).
const key = { 'X-Api-Key': 'espocrm-dev-key' };
const json = { ...key, 'Content-Type': 'application/json' };
const missing = '0000000000000000a';
const dataUrl = 'data:text/plain;base64,SGVsbG8sIHdvcmxkIQo=';

async function behindPrism(faults: string[] = []) {
  const server = await serverForTest({ apis: ['espocrm'], faults, config: { log: () => {} } });
  const prism = await startPrismProxy('espocrm', server.url);
  onTestFinished(() => prism.stop());
  return `${prism.url}/api/v1`;
}

describe("EspoCRM through Prism's validation proxy", () => {
  test('no response violation, success or error, with a body or without', async () => {
    const api = await behindPrism();
    const seen: Array<[string, number, string[]]> = [];
    const call = async (label: string, path: string, init: RequestInit = {}) => {
      const response = await fetch(`${api}/${path}`, { headers: key, ...init });
      const text = await response.text();
      seen.push([label, response.status, responseViolations(response)]);
      return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    };
    const upload = (body: object) => ({ method: 'POST', headers: json, body: JSON.stringify({ type: 'text/plain', role: 'Attachment', ...body }) });
    const attachment = (await call('upload', 'Attachment', upload({ name: 'a.txt', relatedType: 'Document', field: 'file', file: dataUrl })))!;
    const doc = (await call('create Document', 'Document', { method: 'POST', headers: json, body: JSON.stringify({ name: 'd', fileId: attachment.id, publishDate: '2025-11-26' }) }))!;
    await call('read Document', `Document/${doc.id}`);
    await call('list Documents', 'Document?maxSize=5&orderBy=name&order=asc&select=id,name');
    await call('stale PUT', `Document/${doc.id}`, { method: 'PUT', headers: { ...json, 'X-Version-Number': '0' }, body: JSON.stringify({ name: 'e' }) });
    await call('no credentials', `Attachment/${missing}`, { headers: {} });
    await call('unknown attachment', `Attachment/${missing}`);
    await call('download of an unknown attachment', `Attachment/file/${missing}`);
    await call('chunk for an unknown attachment', `Attachment/chunk/${missing}`, { method: 'POST', headers: { ...key, 'Content-Type': 'text/plain' }, body: dataUrl });
    await call('upload without file', 'Attachment', upload({ name: 'a.txt', relatedType: 'Document', field: 'file' }));
    await call('upload without name', 'Attachment', upload({ relatedType: 'Document', field: 'file', file: dataUrl }));
    await call('Document without name', 'Document', { method: 'POST', headers: json, body: JSON.stringify({ fileId: attachment.id, publishDate: '2025-11-26' }) });
    await call('Document with a missing file', 'Document', { method: 'POST', headers: json, body: JSON.stringify({ name: 'd', fileId: missing, publishDate: '2025-11-26' }) });
    await call('list of attachments by a non-admin', 'Attachment?maxSize=1');
    await call('delete of an unknown Document', `Document/${missing}`, { method: 'DELETE' });
    expect(seen.map(([label, status]) => [label, status])).toEqual([
      ['upload', 200],
      ['create Document', 200],
      ['read Document', 200],
      ['list Documents', 200],
      ['stale PUT', 409],
      ['no credentials', 401],
      ['unknown attachment', 404],
      ['download of an unknown attachment', 404],
      ['chunk for an unknown attachment', 404],
      ['upload without file', 400],
      ['upload without name', 400],
      ['Document without name', 400],
      ['Document with a missing file', 403],
      ['list of attachments by a non-admin', 403],
      ['delete of an unknown Document', 404],
    ]);
    expect(seen.filter(([, , violations]) => violations.length)).toEqual([]);
  });

  test('Prism does report a response that breaks the contract (a server answering creates with 201)', async () => {
    const api = await behindPrism(['espocrm.create-answers-201']);
    const response = await fetch(`${api}/Note`, { method: 'POST', headers: json, body: JSON.stringify({ post: 'p' }) });
    expect(response.status).toBe(201);
    expect(responseViolations(response).join('\n')).toMatch(/^response: Unable to match the returned status code/);
  });
});
