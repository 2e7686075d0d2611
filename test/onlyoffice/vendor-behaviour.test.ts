import { describe, expect, test } from 'vitest';
import { serverForTest } from '../support/scoped.ts';
import { download, login, responseOf, uploadMultipart } from './client.ts';

// What ONLYOFFICE (CommunityServer, ASC.Api) does and its clients depend on
// (shared/reference/onlyoffice.md); each test names the vendor file the behaviour comes from.
async function start(config: { strict?: boolean } = {}) {
  const lines: string[] = [];
  const { url } = await serverForTest({ apis: ['onlyoffice'], config: { ...config, log: (line: string) => lines.push(line) } });
  const token = await login(url);
  const upload = async (name: string) => (await responseOf<{ id: number }>(await uploadMultipart(url, token, name, Buffer.from(name)))).id;
  const attachRaw = (entity: string, body: string, contentType: string) =>
    fetch(`${url}/api/2.0/crm/${entity}/files`, { method: 'POST', headers: { Authorization: token, 'Content-Type': contentType }, body });
  const get = (path: string) => fetch(`${url}/api/2.0/${path}`, { headers: { Authorization: token } });
  return { url, token, lines, upload, attachRaw, get };
}

type Envelope = { count?: number; startIndex?: number; nextIndex?: number; total?: number; status: number; statusCode: number; response: Array<Record<string, unknown>> };

describe('ONLYOFFICE: attach reads forms and numeric strings as the binder does (Utils/Binder.cs)', () => {
  test('fileids[]=, fileids=, fileids[0]= and numeric strings all bind', async () => {
    const { upload, attachRaw } = await start();
    const [a, b] = [await upload('a.txt'), await upload('b.txt')];
    const files = async (response: Response) => {
      expect(response.status).toBe(201);
      return (await responseOf<{ files: Array<{ id: number }> }>(response)).files.map((f) => f.id);
    };
    const form = 'application/x-www-form-urlencoded';
    expect(await files(await attachRaw('contact/1', `fileids%5B%5D=${a}&fileids%5B%5D=${b}`, form))).toEqual([a, b]);
    expect(await files(await attachRaw('opportunity/1', `fileids=${a}&fileids=${b}`, form))).toEqual([a, b]);
    expect(await files(await attachRaw('case/1', `fileids[0]=${b}`, form))).toEqual([b]);
    expect(await files(await attachRaw('case/1', `FileIds[]=${a}`, form))).toEqual([a]);
    expect(await files(await attachRaw('contact/1', JSON.stringify({ fileids: [String(a), ` ${b} `] }), 'application/json'))).toEqual([a, b]);
    expect(await files(await attachRaw('contact/1', JSON.stringify({ fileids: String(a) }), 'application/json'))).toEqual([a]);
  });

  test('values that do not convert to Int32 are refused with 400 in the envelope', async () => {
    const { attachRaw } = await start();
    for (const [body, type, message] of [
      [JSON.stringify({ fileids: ['abc'] }), 'application/json', 'abc is not a valid value for Int32.'],
      [JSON.stringify({ fileids: ['2147483648'] }), 'application/json', '2147483648 is not a valid value for Int32.'],
      ['fileids[]=x1', 'application/x-www-form-urlencoded', 'x1 is not a valid value for Int32.'],
    ] as const) {
      const response = await attachRaw('contact/1', body, type);
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message, body).toContain(message);
    }
  });

  test('a body that is not a form gives no arguments (ApiArgumentBuilder.cs): 201 with no files, and a warning; --strict refuses it', async () => {
    const lenient = await start();
    const response = await lenient.attachRaw('contact/1', 'fileids=1', 'text/plain');
    expect(response.status).toBe(201);
    expect((await responseOf<{ files: unknown[] }>(response)).files).toEqual([]);
    expect(response.headers.get('x-attachkit-violations')).toContain('ONLYOFFICE reads it as a form');
    expect(lenient.lines).toHaveLength(1);
    const strict = await start({ strict: true });
    const refused = await strict.attachRaw('contact/1', 'fileids=1', 'text/plain');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { status: number; error: { message: string } }).error.message).toContain('the contract declares');
  });
});

describe('ONLYOFFICE: the generic ApiContext parameters on a list (ApiContext.cs, CompiledSmartList.cs, ApiHttpHandlerBase.cs)', () => {
  test('count, startIndex, sortBy/sortOrder, filterBy/filterOp/filterValue, fields, type; startIndex/nextIndex/total in the envelope', async () => {
    const { upload, attachRaw, get } = await start();
    const ids: number[] = [];
    for (const name of ['delta.txt', 'alpha.txt', 'echo.txt', 'charlie.txt', 'bravo.txt']) ids.push(await upload(name));
    expect((await attachRaw('contact/1', JSON.stringify({ fileids: ids }), 'application/json')).status).toBe(201);
    const list = async (query: string) => (await (await get(`crm/contact/1/files?${query}`)).json()) as Envelope;
    const titles = (e: Envelope) => e.response.map((f) => f.title);

    const whole = await list('');
    expect(whole).toMatchObject({ count: 5, status: 0, statusCode: 200 });
    expect(whole).not.toHaveProperty('total'); // only computed when the list is longer than count
    expect(whole).not.toHaveProperty('nextIndex');

    const first = await list('count=2&sortBy=title');
    expect(titles(first)).toEqual(['alpha.txt', 'bravo.txt']);
    expect(first).toMatchObject({ count: 2, nextIndex: 3, total: 5 });
    expect(first).not.toHaveProperty('startIndex');
    expect(Object.keys(first)).toEqual(['count', 'nextIndex', 'total', 'status', 'statusCode', 'response']);
    const second = await list('count=2&startIndex=2&sortBy=title');
    expect(titles(second)).toEqual(['charlie.txt', 'delta.txt']);
    expect(second).toMatchObject({ count: 2, startIndex: 2, nextIndex: 5, total: 5 });
    const last = await list('count=2&startIndex=4&sortBy=title');
    expect(titles(last)).toEqual(['echo.txt']);
    expect(last).toMatchObject({ count: 1, startIndex: 4, total: 5 });
    expect(last).not.toHaveProperty('nextIndex');

    expect(titles(await list('sortBy=TITLE&sortOrder=descending'))).toEqual(['echo.txt', 'delta.txt', 'charlie.txt', 'bravo.txt', 'alpha.txt']);
    expect(titles(await list('sortBy=title&sortOrder=Descending'))[0]).toBe('alpha.txt'); // exactly "descending"
    expect(titles(await list('filterBy=title&filterOp=startsWith&filterValue=B,C&sortBy=title'))).toEqual(['bravo.txt', 'charlie.txt']);
    expect(titles(await list('filterBy=title&filterValue=ALPHA.TXT'))).toEqual(['alpha.txt']); // equals, case-insensitive
    expect(titles(await list('filterBy=title&filterOp=present&filterValue=ALPHA'))).toEqual([]); // present is case-sensitive
    expect(titles(await list('filterBy=nosuchmember&filterValue=x'))).toHaveLength(5);
    expect((await list('fields=ID,title&count=1&sortBy=id')).response).toEqual([{ id: ids[0], title: 'delta.txt' }]);
    expect((await list('type=file')).count).toBe(5);
    expect((await list('type=folder')).response).toEqual([]);
    expect((await list('updatedSince=2999-01-01T00:00:00Z')).response).toEqual([]);
    expect((await list('count=abc&startIndex=')).count).toBe(5); // TryParse: ignored
    expect((await get('crm/contact/1/files?updatedSince=yesterday')).status).toBe(400);
  });

  test('unknown query parameters are ignored with a warning; --strict refuses them', async () => {
    const lenient = await start();
    const response = await lenient.get('crm/contact/1/files?_=1700000000');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers.get('x-attachkit-violations')!)[0].location).toEqual(['request', 'query', '_']);
    const strict = await start({ strict: true });
    const refused = await strict.get('crm/contact/1/files?_=1700000000');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ status: 1, statusCode: 400, error: { message: "Unknown query parameter '_'" } });
    expect((await strict.get('crm/contact/1/files?count=1')).status).toBe(200);
  });
});

describe('ONLYOFFICE: filehandler.ashx reads action and version as FileHandler.ashx.cs does', () => {
  test('action is case-insensitive; an empty or non-numeric version is ignored; another version is 404', async () => {
    const { url, token, upload } = await start();
    const id = await upload('versioned.txt');
    const handler = (query: string) => fetch(`${url}/Products/Files/HttpHandlers/filehandler.ashx?${query}`, { headers: { Cookie: `asc_auth_key=${token}` } });
    expect(await (await download(url, token, id)).text()).toBe('versioned.txt');
    for (const query of [`action=DOWNLOAD&fileid=${id}`, `action=View&fileid=${id}`, `action=download&fileid=${id}&version=`, `action=download&fileid=${id}&version=latest`, `action=download&fileid=${id}&version=1`]) {
      const response = await handler(query);
      expect(response.status, query).toBe(200);
      expect(await response.text(), query).toBe('versioned.txt');
    }
    expect((await handler(`action=download&fileid=${id}&version=2`)).status).toBe(404);
    expect((await handler(`action=stream&fileid=${id}`)).status).toBe(400);
  });
});
