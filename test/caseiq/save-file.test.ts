// save_file on the reference server: the multipart rules Case IQ documents, the bulkTags[] trap,
// and a large upload going through the streaming path into the blob store.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { blobBytes, blobKeys, rows } from '../support/store-inspect.ts';
import { api, bearer, grantToken, seededCase } from './caseiq-client.ts';

function form(parts: Array<[string, string] | ['file', Buffer, string, string]>): FormData {
  const body = new FormData();
  for (const part of parts) {
    if (part.length === 4) body.append(part[0], new Blob([new Uint8Array(part[1])], { type: part[3] }), part[2]);
    else body.append(part[0], part[1]);
  }
  return body;
}

describe('Case IQ save_file', () => {
  let server: RunningServer;
  let token: string;
  beforeAll(async () => {
    server = await startReferenceServer({ apis: ['caseiq'] });
    token = await grantToken(server.url);
  });
  afterAll(() => server.close());

  async function save(body: FormData): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${server.url}${api}/save_file`, { method: 'POST', headers: bearer(token), body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const file = ['file', Buffer.from('%PDF-1.7 test'), 'report.pdf', 'application/pdf'] as const;

  test('bulkTags[] sent once is a one-item list; sent three times, three; absent, none', async () => {
    const one = await save(form([['caseId', seededCase], ['bulkTags[]', 'tag-1'], [...file]]));
    expect(one.status).toBe(200);
    expect(one.body.tags).toEqual(['tag-1']);
    const three = await save(form([['caseId', seededCase], ['bulkTags[]', 'a'], ['bulkTags[]', 'b'], ['bulkTags[]', 'c'], [...file]]));
    expect(three.body.tags).toEqual(['a', 'b', 'c']);
    const none = await save(form([['caseId', seededCase], [...file]]));
    expect(none.body.tags).toEqual([]);
  });

  test('the record describes the upload and the case', async () => {
    const saved = await save(form([['caseId', seededCase], ['description', 'Site photos'], ['templateLocale', 'fr_CA'], [...file]]));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      name: 'report.pdf',
      nameWithoutExtension: 'report',
      encoding: '7bit',
      mimeType: 'application/pdf',
      objectId: seededCase,
      sizeBytes: file[1].length,
      description: 'Site photos',
      templateLocale: 'fr_CA',
      kind: 'file',
      fileFormat: 'pdf',
    });
    expect(new Date(String(saved.body.createdDate)).toISOString()).toBe(saved.body.createdDate);
  });

  test('a part after the file is refused with the documented 400, and nothing is stored', async () => {
    const before = (await blobKeys(server.store)).length;
    const late = await save(form([['caseId', seededCase], [...file], ['description', 'too late']]));
    expect(late.status).toBe(400);
    expect(late.body).toEqual({ name: 'SERVICE_ACCOUNT_ERROR', httpstatus: 400, meta: { message: 'file must be the last field in the body' }, message: 'BAD_REQUEST' });
    const lateCase = await save(form([[...file], ['caseId', seededCase]]));
    expect(lateCase.status).toBe(400);
    // Unclaimed blobs are removed once the response has ended.
    await vi.waitFor(async () => expect(await blobKeys(server.store)).toHaveLength(before));
  });

  test('missing file, missing or non-UUID caseId: 400; unknown case: 404 Case not found', async () => {
    expect((await save(form([['caseId', seededCase]]))).status).toBe(400);
    expect((await save(form([[...file]]))).status).toBe(400);
    const notUuid = await save(form([['caseId', 'case-1'], [...file]]));
    expect(notUuid).toMatchObject({ status: 400, body: { httpstatus: 400, message: 'BAD_REQUEST' } });
    const unknown = await save(form([['caseId', '00000000-0000-4000-8000-00000000dead'], [...file]]));
    expect(unknown).toEqual({ status: 404, body: { name: 'SERVICE_ACCOUNT_ERROR', httpstatus: 404, meta: { message: 'Case not found' }, message: 'NOT_FOUND' } });
    const textFile = await save(form([['caseId', seededCase], ['file', 'not a file part']]));
    expect(textFile.status).toBe(400);
  });

  test('a large upload is streamed into the blob store while it is still arriving', async () => {
    const size = 12 * 1024 * 1024;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
    const boundary = 'attachkit-streaming-test';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="caseId"\r\n\r\n${seededCase}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const { port } = new URL(server.url);
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `${api}/save_file`,
      headers: { ...bearer(token), 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' },
    });
    const answered = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      request.on('response', (response) => {
        let text = '';
        response.on('data', (d: Buffer) => (text += d));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      });
      request.on('error', reject);
    });

    // Half the file, then hold the request open: the bytes must already be on disk.
    request.write(head);
    request.write(bytes.subarray(0, size / 2));
    // A temp file on the embedded store, uploaded parts of a multipart upload on S3.
    await vi.waitFor(async () => expect(await server.store.blobs.pendingBytes()).toBeGreaterThanOrEqual(4 * 1024 * 1024), { timeout: 30_000, interval: 50 });
    request.write(bytes.subarray(size / 2));
    request.end(tail);

    const saved = await answered;
    expect(saved.status).toBe(200);
    expect(saved.body.sizeBytes).toBe(size);
    const [{ blob_key: key }] = await rows<{ blob_key: string }>(server.store, `SELECT blob_key FROM caseiq_attachment WHERE id = '${String(saved.body.id)}'`);
    const stored = await blobBytes(server.store, key);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));

    const download = await fetch(`${server.url}${api}/attachment/${String(saved.body.id)}/attachment`, { headers: bearer(token) });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(size));
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="big.bin"');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
