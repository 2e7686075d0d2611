import Database from 'better-sqlite3';
import { expect, test, vi } from 'vitest';
import { serverForTest } from '../support/scoped.ts';

const key = { 'X-Api-Key': 'espocrm-dev-key' };
const json = { ...key, 'Content-Type': 'application/json' };

async function espo(url: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/v1${path}`, { method, headers: json, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 200`);
  return (await response.json()) as Record<string, unknown>;
}

async function attachment(url: string, relatedType: string, field: string, name: string): Promise<string> {
  const file = `data:text/plain;base64,${Buffer.from(name).toString('base64')}`;
  return (await espo(url, 'POST', '/Attachment', { name, type: 'text/plain', role: 'Attachment', relatedType, field, file })).id as string;
}

/** SELECTs the embedded store runs (Kysely reads through better-sqlite3's Statement#all) while `work` runs. */
async function selectsDuring(work: () => Promise<unknown>): Promise<number> {
  const probe = new Database(':memory:');
  const statements = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { all: (...args: unknown[]) => unknown };
  probe.close();
  const all = vi.spyOn(statements, 'all');
  try {
    await work();
    return all.mock.calls.length;
  } finally {
    all.mockRestore();
  }
}

test('a page of Documents or Notes costs as many queries with 40 records as with 4, and each entry is what GET <type>/<id> answers', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const selects: Record<string, number[]> = { Document: [], Note: [] };
  let made = 0;
  for (const total of [4, 40]) {
    for (; made < total; made++) {
      await espo(server.url, 'POST', '/Document', { name: `doc-${made}`, fileId: await attachment(server.url, 'Document', 'file', `file-${made}.txt`), publishDate: '2025-01-31' });
      const attachmentsIds = [await attachment(server.url, 'Note', 'attachments', `a-${made}.txt`), await attachment(server.url, 'Note', 'attachments', `b-${made}.txt`)];
      await espo(server.url, 'POST', '/Note', { post: `note-${made}`, type: 'Post', attachmentsIds });
    }
    for (const type of ['Document', 'Note']) {
      let page: { total?: number; list?: Array<Record<string, unknown>> } = {};
      selects[type].push(await selectsDuring(async () => (page = await espo(server.url, 'GET', `/${type}?maxSize=3`))));
      expect(page.total).toBe(total);
      expect(page.list).toHaveLength(3);
      for (const entry of page.list!) expect(entry).toEqual(await espo(server.url, 'GET', `/${type}/${entry.id}`));
    }
  }
  // Before, each record of the type cost a query for its file or attachments, page or not.
  expect(selects.Document[1]).toBe(selects.Document[0]);
  expect(selects.Note[1]).toBe(selects.Note[0]);
});
