import { expect, test } from 'vitest';
import { judge } from '../support/judge.ts';
import { serverForTest } from '../support/scoped.ts';
import { login, responseOf, uploadMultipart } from './client.ts';

// A long id list or deeply nested JSON is refused in the envelope, never a 500, and nothing is
// attached. (Issue 9, item 4: 40,000 fileids answered 500 `too many SQL variables`.)
test('an attach with 40,000 fileids is refused as an argument error; 1,000 still attach', async () => {
  const server = await serverForTest({ apis: ['onlyoffice'] });
  const token = await login(server.url);
  const attach = (body: string) => fetch(`${server.url}/api/2.0/crm/contact/1/files`, { method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body });
  const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

  const many = await attach(JSON.stringify({ fileids: ids(40_000) }));
  expect(await judge('onlyoffice', 'POST', `${server.url}/api/2.0/crm/contact/1/files`, many.clone(), { refused: true })).toEqual([]);
  expect(many.status).toBe(400);
  expect(((await many.json()) as { error: { message: string } }).error.message).toBe('At most 1000 fileids per request.');

  const file = await responseOf<{ id: number }>(await uploadMultipart(server.url, token, 'one.txt', Buffer.from('one')));
  const fine = await attach(JSON.stringify({ fileids: [...ids(999, 100), file.id] }));
  expect(fine.status).toBe(201);
  expect((await responseOf<{ files: Array<{ id: number }> }>(fine)).files.map((f) => f.id)).toEqual([file.id]);

  const deep = await attach(`{"fileids":${'['.repeat(100)}${']'.repeat(100)}}`);
  expect(deep.status).toBe(400);
  expect(await judge('onlyoffice', 'POST', `${server.url}/api/2.0/crm/contact/1/files`, deep, { refused: true })).toEqual([]);
});
