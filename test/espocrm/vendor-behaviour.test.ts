import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { serverForTest } from '../support/scoped.ts';

// What EspoCRM 10.0 does and its own clients depend on (shared/reference/espocrm.md, "Wire
// details"); each test names the vendor file the behaviour comes from.
const key = { 'X-Api-Key': 'espocrm-dev-key' };
const json = { ...key, 'Content-Type': 'application/json' };
const admin = { Authorization: `Basic ${Buffer.from('admin:espocrm-dev-password').toString('base64')}` };
const dataUrl = (text: string) => `data:text/plain;base64,${Buffer.from(text).toString('base64')}`;

async function start(config: { strict?: boolean } = {}) {
  const lines: string[] = [];
  const { url } = await serverForTest({ apis: ['espocrm'], config: { ...config, log: (line: string) => lines.push(line) } });
  const api = `${url}/api/v1`;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = json) =>
    fetch(`${api}/${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const upload = async (name: string, link: Record<string, string> = { relatedType: 'Document', field: 'file' }, headers: Record<string, string> = json) => {
    const response = await call('POST', 'Attachment', { name, type: 'text/plain', role: 'Attachment', ...link, file: dataUrl(name) }, headers);
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string };
  };
  const document = async (name: string, headers: Record<string, string> = json) => {
    const file = await upload(`${name}.txt`, undefined, headers);
    const response = await call('POST', 'Document', { name, fileId: file.id, publishDate: '2025-11-26' }, headers);
    expect(response.status).toBe(200);
    return { ...((await response.json()) as { id: string }), fileId: file.id };
  };
  return { api, call, upload, document, lines };
}

function hmacHeader(method: string, resource: string, options: { key?: string; secret?: string; raw?: boolean } = {}) {
  const digest = createHmac('sha256', options.secret ?? 'espocrm-dev-secret').update(`${method} ${resource}`).digest();
  const presented = options.raw ? digest : Buffer.from(digest.toString('hex'));
  return { 'X-Hmac-Authorization': Buffer.concat([Buffer.from(`${options.key ?? 'espocrm-dev-hmac-key'}:`), presented]).toString('base64') };
}

describe('EspoCRM: the wire format its clients depend on', () => {
  test('JSON answers carry exactly Content-Type: application/json (ControllerActionHandler.php), errors with a body too', async () => {
    const { call, upload } = await start();
    const created = await call('POST', 'Attachment', { name: 'a.txt', type: 'text/plain', relatedType: 'Document', field: 'file', file: dataUrl('a') });
    expect(created.headers.get('content-type')).toBe('application/json');
    const { id } = await upload('b.txt');
    expect((await call('GET', `Attachment/${id}`, undefined, key)).headers.get('content-type')).toBe('application/json');
    const refused = await call('POST', 'Document', { fileId: id, publishDate: '2025-11-26' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/json');
  });

  test('unknown query parameters are ignored with a warning header and a log line (ReadParamsFetcher.php, GetFile.php)', async () => {
    const { call, document, lines } = await start();
    const doc = await document('queried');
    const read = await call('GET', `Document/${doc.id}?searchParams=${encodeURIComponent('{"select":"id"}')}&_=1700000000`, undefined, key);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { name: string }).name).toBe('queried');
    const violations = JSON.parse(read.headers.get('x-attachkit-violations')!);
    expect(violations).toEqual([
      { location: ['request', 'query', 'searchParams'], severity: 'Warning', message: expect.stringContaining("Unknown query parameter 'searchParams'") },
      { location: ['request', 'query', '_'], severity: 'Warning', message: expect.stringContaining("Unknown query parameter '_'") },
    ]);
    expect(lines.filter((l) => l.includes(`GET /api/v1/Document/${doc.id}?searchParams=`))).toHaveLength(2);
    const download = await call('GET', `Attachment/file/${doc.fileId}?select=id`, undefined, key);
    expect(await download.text()).toBe('queried.txt');
    // A request within the contract carries no warning.
    const clean = await call('GET', `Document/${doc.id}`, undefined, key);
    expect(clean.headers.get('x-attachkit-violations')).toBeNull();
  });

  test('--strict refuses the same request in the dialect, and still serves requests within the contract', async () => {
    const { call, document, lines } = await start({ strict: true });
    const doc = await document('strict');
    const refused = await call('GET', `Document/${doc.id}?select=id`, undefined, key);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-status-reason')).toBe("Unknown query parameter 'select'");
    expect(await refused.text()).toBe('');
    expect((await call('GET', `Document/${doc.id}`, undefined, key)).status).toBe(200);
    const form = await call('PUT', `Document/${doc.id}`, 'name=renamed', { ...key, 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    expect(form.headers.get('x-status-reason')).toMatch(/^A application\/x-www-form-urlencoded body: the contract declares application\/json\.$/);
    expect(lines).toEqual([]);
  });

  test('bodies are read as RequestWrapper.php reads them: forms as forms, anything else as an empty object', async () => {
    const { call, document, lines } = await start();
    const asText = await call('POST', 'Attachment', JSON.stringify({ name: 'x.txt', relatedType: 'Document', field: 'file', file: dataUrl('x') }), { ...key, 'Content-Type': 'text/plain' });
    expect(asText.status).toBe(400);
    expect(asText.headers.get('x-status-reason')).toBe('No file contents.');
    expect(asText.headers.get('x-attachkit-violations')).toContain('EspoCRM reads it as an empty object');
    const doc = await document('form');
    const form = await call('PUT', `Document/${doc.id}`, 'name=renamed%20by%20form&description=x', { ...key, 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(200);
    expect(((await form.json()) as { name: string }).name).toBe('renamed by form');
    const xml = await call('PUT', `Document/${doc.id}`, '<name>ignored</name>', { ...key, 'Content-Type': 'application/xml' });
    expect(xml.status).toBe(200);
    expect(((await xml.json()) as { name: string }).name).toBe('renamed by form');
    expect(lines.length).toBe(3);
  });

  test('scalars sent for text attributes are cast as the ORM casts them (BaseEntity::prepareAttributeValue), with a warning; --strict refuses', async () => {
    const { call, upload, lines } = await start();
    const { id } = await upload('cast.txt');
    const created = await call('POST', 'Document', { name: 2025, fileId: id, publishDate: '2025-11-26', description: false });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ name: '2025', description: '' });
    expect(JSON.parse(created.headers.get('x-attachkit-violations')!).map((v: { location: string[] }) => v.location.join('.'))).toEqual(['request.body.name', 'request.body.description']);
    const note = await call('POST', 'Note', { post: true });
    expect(((await note.json()) as { post: string }).post).toBe('1');
    expect(lines).toHaveLength(3);
    const strict = await start({ strict: true });
    const { id: other } = await strict.upload('cast.txt');
    const refused = await strict.call('POST', 'Document', { name: 2025, fileId: other, publishDate: '2025-11-26' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-status-reason')).toBe("'name' must be a string.");
  });

  test('a chunk is read raw whatever its Content-Type (PostChunk.php)', async () => {
    const { call } = await start();
    const started = await call('POST', 'Attachment', { name: 'c.txt', type: 'text/plain', size: 5, relatedType: 'Document', field: 'file', isBeingUploaded: true });
    const { id } = (await started.json()) as { id: string };
    const chunk = await call('POST', `Attachment/chunk/${id}`, dataUrl('hello'), { ...key, 'Content-Type': 'application/octet-stream' });
    expect(chunk.status).toBe(200);
    expect(await chunk.json()).toBe(true);
    expect(await (await call('GET', `Attachment/file/${id}`, undefined, key)).text()).toBe('hello');
  });
});

describe('EspoCRM: records as the vendor keeps them', () => {
  test('PATCH is an update, like PUT (Resources/routes.json)', async () => {
    const { call, document } = await start();
    const doc = await document('before');
    const patched = await call('PATCH', `Document/${doc.id}`, { name: 'after' });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { name: string }).name).toBe('after');
    const note = (await (await call('POST', 'Note', { post: 'p' })).json()) as { id: string };
    const patchedNote = await call('PATCH', `Note/${note.id}`, { post: 'patched' });
    expect(((await patchedNote.json()) as { post: string }).post).toBe('patched');
  });

  test('unknown attributes are dropped silently, neither stored nor echoed (BaseEntity::populateFromArray)', async () => {
    const { call, upload } = await start();
    const a = await upload('n.txt', { parentType: 'Note', field: 'attachments' });
    const created = await call('POST', 'Note', { post: 'typo', attachmnetsIds: [a.id], favouriteColour: 'blue', number: 99 });
    expect(created.status).toBe(200);
    const note = (await created.json()) as Record<string, unknown>;
    expect(note).not.toHaveProperty('attachmnetsIds');
    expect(note).not.toHaveProperty('favouriteColour');
    expect(note.number).not.toBe(99);
    expect(note.attachmentsIds).toEqual([]);
    const read = (await (await call('GET', `Note/${note.id}`, undefined, key)).json()) as Record<string, unknown>;
    expect(read).not.toHaveProperty('favouriteColour');
    const updated = (await (await call('PUT', `Note/${note.id}`, { post: 'x', favouriteColour: 'red' })).json()) as Record<string, unknown>;
    expect(updated).not.toHaveProperty('favouriteColour');
  });

  test('deleting a Document or Note keeps its attachments (Record/Service::delete; Jobs/Cleanup.php removes them weeks later)', async () => {
    const { call, upload, document } = await start();
    const doc = await document('to-delete');
    expect(await (await call('DELETE', `Document/${doc.id}`, undefined, key)).json()).toBe(true);
    expect((await call('GET', `Document/${doc.id}`, undefined, key)).status).toBe(404);
    expect((await call('GET', `Attachment/${doc.fileId}`, undefined, key)).status).toBe(200);
    expect(await (await call('GET', `Attachment/file/${doc.fileId}`, undefined, key)).text()).toBe('to-delete.txt');
    const a = await upload('one.txt', { parentType: 'Note', field: 'attachments' });
    const note = (await (await call('POST', 'Note', { post: 'p', attachmentsIds: [a.id] })).json()) as { id: string };
    expect((await call('DELETE', `Note/${note.id}`, undefined, key)).status).toBe(200);
    expect(await (await call('GET', `Attachment/file/${a.id}`, undefined, key)).text()).toBe('one.txt');
  });
});

describe('EspoCRM: field validation in its own words, whichever layer catches it', () => {
  const reason = (field: string, type: string, entity = 'Document') => `Field validation failure; entityType: ${entity}, field: ${field}, type: ${type}.`;
  const body = (field: string, type: string) => ({ messageTranslation: { label: 'validationFailure', scope: null, data: { field, type } } });

  test('the first failing field in entityDefs order: name, file, publishDate (FieldValidation/Exceptions/ValidationError.php)', async () => {
    const { call, upload } = await start();
    const { id } = await upload('v.txt');
    for (const [sent, field, type] of [
      [{}, 'name', 'required'],
      [{ fileId: id }, 'name', 'required'],
      [{ name: 'n', publishDate: '2025-11-26' }, 'file', 'required'],
      [{ name: 'n', fileId: id }, 'publishDate', 'required'],
      [{ name: 'a<b', fileId: 'not an id!', publishDate: '2025-11-26' }, 'name', 'pattern'],
      [{ name: 'n', fileId: 'not an id!', publishDate: '2025-11-26' }, 'file', 'pattern'],
      [{ name: 'n', fileId: id, publishDate: '2025-11-26', status: 'Lost' }, 'status', 'valid'],
    ] as const) {
      const response = await call('POST', 'Document', sent);
      expect(response.status, JSON.stringify(sent)).toBe(400);
      expect(response.headers.get('x-status-reason'), JSON.stringify(sent)).toBe(reason(field, type));
      expect(await response.json()).toEqual(body(field, type));
    }
    const note = await call('POST', 'Note', { post: 'p', attachmentsIds: ['bad id!'] });
    expect(note.headers.get('x-status-reason')).toBe(reason('attachments', 'pattern', 'Note'));
  });

  test("POST Attachment: CreateInputFilter's refusals come first, then field validation", async () => {
    const { call } = await start();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'x.txt', relatedType: 'Document', field: 'file' }, 'No file contents.'],
      [{ name: 'x.txt', relatedType: 'Document', field: 'file', file: 7 }, 'Non-string file contents.'],
      [{ name: 'x.txt', relatedType: 'Document', field: 'file', file: 'nocomma' }, 'Bad file contents.'],
      [{ name: 'x.txt', file: dataUrl('x') }, 'No `field` and `parentType`.'],
      [{ relatedType: 'Document', field: 'file', file: dataUrl('x') }, reason('name', 'required', 'Attachment')],
      [{ name: 'x'.repeat(256), relatedType: 'Document', field: 'file', file: dataUrl('x') }, reason('name', 'maxLength', 'Attachment')],
    ];
    for (const [sent, expected] of cases) {
      const response = await call('POST', 'Attachment', sent);
      expect(response.status, JSON.stringify(sent).slice(0, 80)).toBe(400);
      expect(response.headers.get('x-status-reason'), JSON.stringify(sent).slice(0, 80)).toBe(expected);
    }
  });
});

describe('EspoCRM: one auth method per API user, and the legacy HMAC digest', () => {
  test('the HMAC user signs with a hex or a raw-binary digest (Utils/ApiKey::hash, hashLegacy); each key works only by its method', async () => {
    const { api } = await start();
    const created = await fetch(`${api}/Attachment`, {
      method: 'POST',
      headers: { ...hmacHeader('POST', '/Attachment', { raw: true }), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'h.txt', type: 'text/plain', relatedType: 'Document', field: 'file', file: dataUrl('signed') }),
    });
    expect(created.status).toBe(200);
    const { id, createdByName } = (await created.json()) as { id: string; createdByName: string };
    expect(createdByName).toBe('HMAC API User');
    const resource = `/Attachment/file/${id}`;
    expect(await (await fetch(`${api}${resource}?_=1`, { headers: hmacHeader('GET', resource) })).text()).toBe('signed');
    expect((await fetch(`${api}${resource}`, { headers: hmacHeader('GET', resource, { raw: true }) })).status).toBe(200);
    expect((await fetch(`${api}${resource}`, { headers: hmacHeader('GET', resource, { secret: 'wrong' }) })).status).toBe(401);
    expect((await fetch(`${api}${resource}`, { headers: hmacHeader('GET', resource, { secret: 'wrong', raw: true }) })).status).toBe(401);
    // UserFinder::findApiHmac / findApiApiKey: a key works only through its user's method.
    expect((await fetch(`${api}${resource}`, { headers: hmacHeader('GET', resource, { key: 'espocrm-dev-key' }) })).status).toBe(401);
    expect((await fetch(`${api}${resource}`, { headers: { 'X-Api-Key': 'espocrm-dev-hmac-key' } })).status).toBe(401);
    // Two users, each with an own role: the X-Api-Key user cannot read the HMAC user's upload.
    expect((await fetch(`${api}${resource}`, { headers: key })).status).toBe(403);
  });
});

describe('EspoCRM: list routes (RecordBase::getActionList, SearchParamsFetcher.php)', () => {
  test('GET Document and GET Note answer {total, list} with maxSize, offset, orderBy, order, select, where and searchParams', async () => {
    const { call, document } = await start();
    for (const name of ['charlie', 'alpha', 'bravo']) await document(name);
    await document('admins', { ...admin, 'Content-Type': 'application/json' });
    const page = (await (await call('GET', 'Document?maxSize=2&offset=0&orderBy=name&order=asc', undefined, key)).json()) as { total: number; list: Array<{ name: string }> };
    expect(page.total).toBe(3); // the API user has an own role: the admin's Document is not listed
    expect(page.list.map((d) => d.name)).toEqual(['alpha', 'bravo']);
    const next = (await (await call('GET', 'Document?maxSize=2&offset=2&orderBy=name&order=ASC', undefined, key)).json()) as { list: Array<{ name: string }> };
    expect(next.list.map((d) => d.name)).toEqual(['charlie']);
    const newestFirst = (await (await call('GET', 'Document', undefined, key)).json()) as { list: Array<{ name: string }> };
    expect(newestFirst.list.map((d) => d.name)).toEqual(['bravo', 'alpha', 'charlie']);
    const selected = (await (await call('GET', 'Document?select=name&where[0][type]=startsWith&where[0][attribute]=name&where[0][value]=br', undefined, key)).json()) as {
      total: number;
      list: Array<Record<string, unknown>>;
    };
    expect(selected.total).toBe(1);
    expect(Object.keys(selected.list[0]).sort()).toEqual(['id', 'name']);
    const searchParams = encodeURIComponent(JSON.stringify({ maxSize: 5, where: [{ type: 'in', attribute: 'name', value: ['alpha', 'charlie'] }], select: ['id', 'name'], orderBy: 'name', order: 'desc' }));
    const viaJson = (await (await call('GET', `Document?searchParams=${searchParams}`, undefined, key)).json()) as { list: Array<{ name: string }> };
    expect(viaJson.list.map((d) => d.name)).toEqual(['charlie', 'alpha']);
    const all = (await (await call('GET', 'Document', undefined, admin)).json()) as { total: number };
    expect(all.total).toBe(4);
    const notes = (await (await call('GET', 'Note', undefined, key)).json()) as { total: number; list: unknown[] };
    expect(notes).toEqual({ total: 0, list: [] });
  });

  test('list refusals in EspoCRM words; GET Attachment is for administrators only (Controllers/Attachment.php)', async () => {
    const { call, upload } = await start();
    await upload('listed.txt');
    const cases: Array<[string, number, string]> = [
      ['Document?maxSize=201', 403, 'Max size should not exceed 200. Use offset and limit.'],
      ['Document?orderBy=colour', 400, "Order by non-existing field 'colour'."],
      ['Document?where[0][type]=equals&where[0][attribute]=colour&where[0][value]=x', 400, "Not existing attribute 'colour' in where."],
      ['Document?where[0][type]=sometime&where[0][attribute]=name', 400, "Unknown where item type 'sometime'."],
      ['Document?searchParams=%7Bnot%20json', 400, 'Invalid search params JSON.'],
      ['Attachment', 403, ''],
    ];
    for (const [path, status, why] of cases) {
      const response = await call('GET', path, undefined, key);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('x-status-reason'), path).toBe(why);
    }
    const asAdmin = (await (await call('GET', 'Attachment?select=name', undefined, admin)).json()) as { total: number; list: Array<{ name: string }> };
    expect(asAdmin.total).toBe(1);
    expect(asAdmin.list).toEqual([{ id: expect.any(String), name: 'listed.txt' }]);
  });
});
