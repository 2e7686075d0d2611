import { expect, test } from 'vitest';
import { serverForTest } from '../support/scoped.ts';
import { api, bearer, grantToken, seededCase } from './caseiq-client.ts';

type Page = { records: Array<{ id: string; name: string }>; count: number };

async function uploadNamed(url: string, token: string, name: string): Promise<string> {
  const form = new FormData();
  form.append('caseId', seededCase);
  form.append('file', new Blob([name]), name);
  const response = await fetch(`${url}${api}/save_file`, { method: 'POST', headers: bearer(token), body: form });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

test('percent-encoded reserved characters work in filter and cursor values, so a walk by name passes "Smith, John.pdf"', async () => {
  const { url } = await serverForTest({ apis: ['caseiq'] });
  const token = await grantToken(url);
  const names = ['Adams.pdf', 'Smith, John.pdf', 'a|b&c=d?.pdf', 'Zed #1.pdf'];
  for (const name of names) await uploadNamed(url, token, name);
  const list = async (query: string) => {
    const response = await fetch(`${url}${api}/attachments?${query}`, { headers: bearer(token) });
    expect(response.status, query).toBe(200);
    return (await response.json()) as Page;
  };
  expect((await list('name=Smith%2C%20John.pdf')).records.map((r) => r.name)).toEqual(['Smith, John.pdf']);
  expect((await list('name=Smith,%20John.pdf')).records.map((r) => r.name)).toEqual(['Smith, John.pdf']);
  expect((await list(`name=${encodeURIComponent('a|b&c=d?.pdf')}`)).records.map((r) => r.name)).toEqual(['a|b&c=d?.pdf']);
  expect((await list('nameWithoutExtension=Smith%2C%20John&fields=id,name')).count).toBe(1);

  // A walk sorted by name, one record a page, with the tie-safe cursor <name>|<id> as any client encodes it.
  const seen: string[] = [];
  let after: string | undefined;
  for (let i = 0; i < 10; i++) {
    const page = await list(`sort=name&limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    if (page.count === 0) break;
    seen.push(page.records[0].name);
    after = `${page.records[0].name}|${page.records[0].id}`;
  }
  expect(seen).toEqual([...names].sort());
});

test('an empty filter value is a value: it matches records whose field is empty (none here), not refused, not ignored', async () => {
  const { url } = await serverForTest({ apis: ['caseiq'] });
  const token = await grantToken(url);
  await uploadNamed(url, token, 'report.pdf');
  for (const filter of ['name=', 'kind=', 'fileFormat=&kind=file']) {
    const response = await fetch(`${url}${api}/attachments?${filter}`, { headers: bearer(token) });
    expect(response.status, filter).toBe(200);
    expect(await response.json(), filter).toEqual({ records: [], count: 0 });
  }
  const all = (await (await fetch(`${url}${api}/attachments?fields=`, { headers: bearer(token) })).json()) as Page;
  expect(all.count).toBe(1);
});
