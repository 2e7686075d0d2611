import { expect, test } from 'vitest';
import { judge } from '../support/judge.ts';
import { serverForTest } from '../support/scoped.ts';
import { scalar } from '../support/store-inspect.ts';

// Input that EspoCRM would cast, or that would make a stored record unreadable, is dealt with
// before anything is stored: a write that answers 200 is readable forever after, and a refused one
// leaves nothing behind. (Issue 9, items 4-6.)
const key = { 'X-Api-Key': 'espocrm-dev-key' };
const json = { ...key, 'Content-Type': 'application/json' };

async function espo(url: string, method: string, path: string, body?: unknown, raw?: string) {
  const response = await fetch(`${url}/api/v1${path}`, { method, headers: json, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await response.clone().text();
  return { status: response.status, reason: response.headers.get('x-status-reason'), body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, response };
}

async function attachment(url: string, name = 'a.txt'): Promise<string> {
  const created = await espo(url, 'POST', '/Attachment', { name, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: 'data:text/plain;base64,aGk=' });
  expect(created.status).toBe(200);
  return created.body!.id as string;
}

const rowCount = (server: Awaited<ReturnType<typeof serverForTest>>, table: string) => scalar(server.store, `SELECT COUNT(*) FROM ${table}`);

test('wrongly typed attributes are cast as EspoCRM casts them, and the record stays readable', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const cases: Array<[unknown, Record<string, unknown>]> = [
    [{ post: 'x', isInternal: 'yes' }, { isInternal: false }],
    [{ post: 'x', isInternal: 'true' }, { isInternal: true }],
    [{ post: 'x', isGlobal: 1 }, { isGlobal: true }],
  ];
  for (const [input, expected] of cases) {
    const created = await espo(server.url, 'POST', '/Note', input);
    expect(`${JSON.stringify(input)} → ${created.status} ${created.reason ?? ''}`).toBe(`${JSON.stringify(input)} → 200 `);
    expect(created.body).toMatchObject(expected);
    const read = await espo(server.url, 'GET', `/Note/${created.body!.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject(expected);
  }
  const note = await espo(server.url, 'POST', '/Note', { post: 'x' });
  const put = await espo(server.url, 'PUT', `/Note/${note.body!.id}`, { isGlobal: 'sure' });
  expect(put.status).toBe(200);
  expect(put.body!.isGlobal).toBe(false);
  expect((await espo(server.url, 'GET', `/Note/${note.body!.id}`)).status).toBe(200);

  const doc = await espo(server.url, 'POST', '/Document', { name: 'd', fileId: await attachment(server.url), publishDate: '2025-01-31', folderId: 5 });
  expect(`${doc.status} ${doc.reason ?? ''}`).toBe('200 ');
  expect(doc.body!.folderId).toBe('5');
  expect((await espo(server.url, 'GET', `/Document/${doc.body!.id}`)).status).toBe(200);
});

test('an attachment type that cannot be a header is refused, and nothing is stored', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const before = await rowCount(server, 'blobs');
  const refused = await espo(server.url, 'POST', '/Attachment', {
    name: 'evil.txt',
    type: 'text/plain\r\nX-Evil: 1',
    role: 'Attachment',
    relatedType: 'Document',
    field: 'file',
    file: 'data:text/plain;base64,aGk=',
  });
  expect(refused.status).toBe(400);
  expect(refused.reason).toBe('Field validation failure; entityType: Attachment, field: type, type: valid.');
  expect(await rowCount(server, 'espocrm_attachment')).toBe(0);
  expect(await rowCount(server, 'blobs')).toBe(before);
});

test('JSON nested deeper than PHP decodes is refused in the dialect, and nothing is stored', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const deep = `{"post":"x","data":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const refused = await espo(server.url, 'POST', '/Note', undefined, deep);
  expect(await judge('espocrm', 'POST', `${server.url}/api/v1/Note`, refused.response, { refused: true })).toEqual([]);
  expect(refused.status).toBe(400);
  expect(await rowCount(server, 'espocrm_record')).toBe(0);
});

test('a small JSON route refuses a big body at once, before reading it whole', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  // 200 MiB declared, a few MiB sent, never finished: the answer must not wait for the rest.
  const { sendRaw } = await import('../support/raw-http.ts');
  const body = Buffer.alloc(4 * 1024 * 1024, 0x61);
  const result = await sendRaw(server.url, { method: 'POST', path: '/api/v1/Note', headers: { ...json, 'Content-Length': String(200 * 1024 * 1024) }, body }, { kind: 'stall', offset: body.length }, 5000);
  expect(result.answer?.status, `${result.ending} after ${result.elapsedMs} ms`).toBe(400);
  expect(result.elapsedMs).toBeLessThan(2000);
});

test('a 40 MiB attachment name is refused by its length check as soon as it passes the bound, without the rest of the body', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  // 40 MiB of name declared, 4 MiB sent, then nothing: the answer must not wait for the rest.
  const head = Buffer.from('{"relatedType":"Document","field":"file","name":"');
  const body = Buffer.concat([head, Buffer.alloc(4 * 1024 * 1024, 0x6e)]);
  const { sendRaw } = await import('../support/raw-http.ts');
  const result = await sendRaw(server.url, { method: 'POST', path: '/api/v1/Attachment', headers: { ...json, 'Content-Length': String(head.length + 40 * 1024 * 1024 + 64) }, body }, { kind: 'stall', offset: body.length }, 5000);
  expect(result.answer?.status, `${result.ending} after ${result.elapsedMs} ms`).toBe(400);
  expect(result.answer?.headers['x-status-reason']).toBe('Field validation failure; entityType: Attachment, field: name, type: maxLength.');
  expect(await rowCount(server, 'espocrm_attachment')).toBe(0);
});

test('replacing one Document\'s file keeps an attachment another Document still links', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const shared = await attachment(server.url, 'shared.txt');
  const a = await espo(server.url, 'POST', '/Document', { name: 'A', fileId: shared, publishDate: '2025-01-31' });
  const b = await espo(server.url, 'POST', '/Document', { name: 'B', fileId: shared, publishDate: '2025-01-31' });
  expect([a.status, b.status]).toEqual([200, 200]);
  const replaced = await espo(server.url, 'PUT', `/Document/${a.body!.id}`, { fileId: await attachment(server.url, 'new.txt') });
  expect(replaced.status).toBe(200);
  const file = await fetch(`${server.url}/api/v1/Attachment/file/${shared}`, { headers: key });
  expect(file.status).toBe(200);
  expect(await file.text()).toBe('hi');
  expect((await espo(server.url, 'GET', `/Document/${b.body!.id}`)).body!.fileName).toBe('shared.txt');

  // An attachment no other record links still goes with the replacement, as in EspoCRM.
  const own = await attachment(server.url, 'own.txt');
  const c = await espo(server.url, 'POST', '/Document', { name: 'C', fileId: own, publishDate: '2025-01-31' });
  await espo(server.url, 'PUT', `/Document/${c.body!.id}`, { fileId: await attachment(server.url, 'newer.txt') });
  expect((await espo(server.url, 'GET', `/Attachment/${own}`)).status).toBe(404);
});
