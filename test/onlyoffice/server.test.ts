import { createHash } from 'node:crypto';
import { onTestFinished, describe, expect, test, vi } from 'vitest';
import { apis } from '../../registry.ts';
import { migrations } from '../../server/apis/onlyoffice/migrations.ts';
import { TokenStore, tokenLifetimeMs } from '../../server/apis/onlyoffice/tokens.ts';
import { openStore } from '../../server/store/open-store.ts';
import { defaultWorkspace } from '../../server/store/workspace.ts';
import { blobBytes, blobKeys, rows, scalar } from '../support/store-inspect.ts';
import { startReferenceServer } from '../support/reference-server.ts';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';
import { attach, download, listIds, login, responseOf, uploadMultipart } from './client.ts';

const server = (options: Parameters<typeof serverForTest>[0] = {}) => serverForTest({ apis: ['onlyoffice'], ...options });
const dataDir = () => tempDirForTest('attachkit-data-');

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function errorOf(response: Response): Promise<{ status: number; statusCode: number; error: { message: string } }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as { status: number; statusCode: number; error: { message: string } };
}

describe('ONLYOFFICE reference server: tokens', () => {
  test('a token survives a restart on the same data dir, as a portal cookie does, and means nothing to another store', async () => {
    const dir = dataDir();
    const first = await startReferenceServer({ apis: ['onlyoffice'], dataDir: dir });
    const token = await login(first.url);
    await first.close();

    const again = await server({ dataDir: dir });
    expect((await fetch(`${again.url}/api/2.0/crm/files/root`, { headers: { Authorization: token } })).status).toBe(200);
    const other = await server();
    expect((await fetch(`${other.url}/api/2.0/crm/files/root`, { headers: { Authorization: token } })).status).toBe(401);
  });

  test('the store keeps only a hash of the verifier; expired, altered and malformed tokens are refused', async () => {
    const store = await openStore({ dataDir: '', inMemory: true });
    onTestFinished(() => store.close());
    await store.migrate(migrations);
    const tokens = new TokenStore(store.workspace(defaultWorkspace));
    const issued = await tokens.issue('admin@example.com');
    expect(await tokens.verify(issued.token)).toBe('admin@example.com');
    const stored = await rows(store, 'SELECT * FROM onlyoffice_token');
    expect(JSON.stringify(stored)).not.toContain(Buffer.from(issued.token, 'base64').subarray(12).toString('hex'));

    const raw = Buffer.from(issued.token, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(await tokens.verify(raw.toString('base64'))).toBeUndefined();
    expect(await tokens.verify('short')).toBeUndefined();
    const old = await tokens.issue('admin@example.com', new Date(Date.now() - tokenLifetimeMs - 1000));
    expect(await tokens.verify(old.token)).toBeUndefined();
  });

  test('401 is plain text with a Bearer challenge only when Authorization came; the file handler answers 403, empty', async () => {
    const { url } = await server();
    const withHeader = await fetch(`${url}/api/2.0/crm/files/root`, { headers: { Authorization: 'Bearer nope' } });
    expect(withHeader.status).toBe(401);
    expect(withHeader.headers.get('www-authenticate')).toBe('Bearer Realm="127.0.0.1"');
    expect(withHeader.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await withHeader.text()).toBe('Unauthorized');
    const withoutHeader = await fetch(`${url}/api/2.0/crm/files/root`, { headers: { Cookie: 'asc_auth_key=nope' } });
    expect(withoutHeader.status).toBe(401);
    expect(withoutHeader.headers.get('www-authenticate')).toBeNull();

    const token = await login(url);
    const file = await responseOf<{ id: number }>(await uploadMultipart(url, token, 'a.txt', Buffer.from('x')));
    const handler = `${url}/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=${file.id}`;
    const rawToken = await fetch(handler, { headers: { Authorization: token } });
    expect(rawToken.status).toBe(403);
    expect(await rawToken.text()).toBe('');
    expect((await download(url, token, file.id)).status).toBe(200);
  });
});

describe('ONLYOFFICE reference server: store and seed', () => {
  test('the seed is idempotent and records survive a restart', async () => {
    const dir = dataDir();
    const first = await startReferenceServer({ apis: ['onlyoffice'], dataDir: dir });
    const token = await login(first.url);
    const file = await responseOf<{ id: number }>(await uploadMultipart(first.url, token, 'kept.bin', Buffer.from('still here')));
    expect((await attach(first.url, token, 'case/1', [file.id])).status).toBe(201);
    await first.close();

    const second = await server({ dataDir: dir });
    const entities = await rows(second.store, 'SELECT entity_type, id, title FROM onlyoffice_entity ORDER BY entity_type');
    expect(entities).toEqual([
      { entity_type: 'case', id: 1, title: 'Warranty claim 2026-114' },
      { entity_type: 'contact', id: 1, title: 'Alex Johnson' },
      { entity_type: 'opportunity', id: 1, title: 'Website redesign' },
    ]);
    expect(await listIds(second.url, token, 'case/1')).toEqual([file.id]);
    expect(await (await download(second.url, token, file.id)).text()).toBe('still here');
  });

  test('a multipart upload streams into the blob store; deleting the file removes the blob', async () => {
    const running = await server();
    const token = await login(running.url);
    const bytes = Buffer.alloc(200_000, 7);
    bytes.write('attachkit', 1000);
    const file = await responseOf<{ id: number; pureContentLength: number }>(await uploadMultipart(running.url, token, 'big.bin', bytes));
    expect(file.pureContentLength).toBe(bytes.length);
    const blobs = await rows<{ key: string; size: number; sha256: string }>(running.store, "SELECT key, size, sha256 FROM blobs WHERE api = 'onlyoffice'");
    expect(blobs).toEqual([{ key: expect.any(String), size: bytes.length, sha256: sha256(bytes) }]);
    expect(sha256(await blobBytes(running.store, blobs[0].key))).toBe(sha256(bytes));

    const deleted = await fetch(`${running.url}/api/2.0/crm/files/${file.id}`, { method: 'DELETE', headers: { Authorization: token } });
    expect(deleted.status).toBe(200);
    expect(await blobKeys(running.store)).not.toContain(blobs[0].key);
    expect(await scalar(running.store, 'SELECT COUNT(*) AS n FROM blobs')).toBe(0);
  });

  test('an upload refused after its bytes were stored, or over the size limit, leaves nothing behind', async () => {
    const running = await server({ config: { maxFileBytes: 1024 } });
    const token = await login(running.url);
    const badFlag = await uploadMultipart(running.url, token, 'a.bin', Buffer.from('stored, then refused'), { storeOriginalFileFlag: 'maybe' });
    expect(badFlag.status).toBe(400);
    expect((await errorOf(badFlag)).error.message).toContain('storeOriginalFileFlag');
    const tooBig = await uploadMultipart(running.url, token, 'big.bin', Buffer.alloc(4096));
    expect(tooBig.status).toBe(400);
    const rawTooBig = await fetch(`${running.url}/api/2.0/crm/contact/1/files/upload`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment; filename="big.bin"' },
      body: Buffer.alloc(4096),
    });
    expect(rawTooBig.status).toBe(400);
    expect((await errorOf(rawTooBig)).statusCode).toBe(400);
    await vi.waitFor(async () => expect(await blobKeys(running.store)).toEqual([]));
    expect(await scalar(running.store, 'SELECT COUNT(*) AS n FROM onlyoffice_file')).toBe(0);
  });
});

describe('ONLYOFFICE reference server: workspaces', () => {
  test('links point into the workspace they came from, and a token is valid only in the workspace that issued it', async () => {
    const { url } = await server();
    const site = `${url}/ws/links`;
    const token = await login(site);
    const file = await responseOf<{ id: number; viewUrl: string }>(await uploadMultipart(site, token, 'linked.txt', Buffer.from('in the workspace')));
    expect(file.viewUrl).toBe(`${site}/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=${file.id}`);
    expect(await (await fetch(file.viewUrl, { headers: { Cookie: `asc_auth_key=${token}` } })).text()).toBe('in the workspace');
    expect((await fetch(`${url}/api/2.0/crm/files/root`, { headers: { Authorization: token } })).status).toBe(401);
    expect((await fetch(`${url}/ws/other/api/2.0/crm/files/root`, { headers: { Authorization: token } })).status).toBe(401);
    expect((await fetch(`${site}/api/2.0/crm/files/root`, { headers: { Authorization: token } })).status).toBe(200);
  });
});

describe('ONLYOFFICE reference server: uploads, attach and routes', () => {
  test('a raw-body upload takes its name from Content-Disposition (decoded, without directories); the download types it by name', async () => {
    const { url } = await server();
    const token = await login(url);
    const names: Array<[string, string]> = [
      ["attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", 'résumé.pdf'],
      ['attachment; filename="Quarterly%20report.csv"', 'Quarterly report.csv'],
      ['attachment; filename="../../etc/passwd.txt"', 'passwd.txt'],
    ];
    for (const [disposition, title] of names) {
      const uploaded = await fetch(`${url}/api/2.0/crm/contact/1/files/upload`, {
        method: 'POST',
        headers: { Authorization: token, 'Content-Type': 'application/octet-stream', 'Content-Disposition': disposition },
        body: Buffer.from(title),
      });
      expect(uploaded.status).toBe(201);
      const file = await responseOf<{ id: number; title: string }>(uploaded);
      expect(file.title).toBe(title);
      const fetched = await download(url, token, file.id);
      expect(await fetched.text()).toBe(title);
      expect(fetched.headers.get('content-type')).toBe({ pdf: 'application/pdf', csv: 'text/csv', txt: 'text/plain' }[title.split('.').pop()!]);
    }
  });

  test('an upload without a file is a 400 in the error envelope, never a 500; several file parts store all and return the last', async () => {
    const { url, store } = await server();
    const token = await login(url);
    for (const init of [{}, { headers: { 'Content-Type': 'application/json' }, body: '{"file": "not a file"}' }]) {
      const response = await fetch(`${url}/api/2.0/crm/contact/1/files/upload`, { method: 'POST', ...init, headers: { Authorization: token, ...init.headers } });
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ status: 1, statusCode: 400 });
    }
    const form = new FormData();
    form.append('first', new Blob(['one']), 'one.txt');
    form.append('second', new Blob(['two']), 'two.txt');
    const both = await fetch(`${url}/api/2.0/crm/contact/1/files/upload`, { method: 'POST', headers: { Authorization: token }, body: form });
    expect((await responseOf<{ title: string }>(both)).title).toBe('two.txt');
    expect((await rows<{ title: string }>(store, 'SELECT title FROM onlyoffice_file ORDER BY id')).map((r) => r.title)).toEqual(['one.txt', 'two.txt']);
  });

  test('attach binds one id as a list, tags repeated ids once, and lists an opportunity event with its entity', async () => {
    const { url } = await server();
    const token = await login(url);
    const file = await responseOf<{ id: number }>(await uploadMultipart(url, token, 'one.bin', Buffer.from('1')));
    const single = await fetch(`${url}/api/2.0/crm/opportunity/1/files`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileids: file.id }),
    });
    expect(single.status).toBe(201);
    const event = await responseOf<{ entity: unknown; contact?: unknown; files: Array<{ id: number }> }>(single);
    expect(event.entity).toEqual({ entityType: 'opportunity', entityId: 1, entityTitle: 'Website redesign' });
    expect(event.contact).toBeUndefined();
    const repeated = await responseOf<{ files: Array<{ id: number }> }>(await attach(url, token, 'opportunity/1', [file.id, file.id]));
    expect(repeated.files.map((f) => f.id)).toEqual([file.id]);
    expect(await listIds(url, token, 'opportunity/1')).toEqual([file.id]);
  });

  test("route constraints answer 404 Method not found; files/{id}.json is the .json twin, not an id '5.json'", async () => {
    const { url } = await server();
    const token = await login(url);
    for (const route of ['crm/lead/1/files', 'crm/contact/abc/files', 'crm/contact/-1/files']) {
      const response = await fetch(`${url}/api/2.0/${route}`, { headers: { Authorization: token } });
      expect(response.status, route).toBe(404);
      expect((await errorOf(response)).error.message).toBe('Method not found');
    }
    const twin = await fetch(`${url}/api/2.0/crm/files/999.json`, { method: 'DELETE', headers: { Authorization: token } });
    expect(twin.status).toBe(404);
    expect((await errorOf(twin)).error.message).toBe('Not found');
  });

  test('mounted with every API, ONLYOFFICE answers only under its own paths', async () => {
    const { url } = await server({ apis: undefined });
    const root = (await (await fetch(`${url}/`)).json()) as { apis: Array<{ id: string }> };
    expect(root.apis.map((a) => a.id)).toEqual(apis.map((a) => a.id));
    const elsewhere = await fetch(`${url}/Products/People/Profile.aspx`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toEqual({ message: 'No API is mounted at /Products/People/Profile.aspx. GET / lists them.' });
  });
});
