import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, onTestFinished, test, vi } from 'vitest';
import { EspoRepository } from '../../server/apis/espocrm/repository.ts';
import { judge } from '../support/judge.ts';
import { sendRaw, type RawRequest } from '../support/raw-http.ts';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';

// EspoCRM's chunked upload on the reference server (issue 9, items 5 and 10): a chunk sent twice
// is refused rather than appended, a chunk is read as it arrives (never buffered whole), and an
// unknown id is answered before the body is read.
const key = { 'X-Api-Key': 'espocrm-dev-key' };
const json = { ...key, 'Content-Type': 'application/json' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function start(url: string, size: number): Promise<string> {
  const body = JSON.stringify({ name: 'chunked.bin', type: 'application/octet-stream', role: 'Attachment', parentType: 'Note', field: 'attachments', size, isBeingUploaded: true });
  const created = await fetch(`${url}/api/v1/Attachment`, { method: 'POST', headers: json, body });
  expect(created.status).toBe(200);
  return ((await created.json()) as { id: string }).id;
}

function chunk(id: string, bytes: Buffer, form: 'json' | 'text' = 'json'): RawRequest {
  const dataUrl = `data:application/octet-stream;base64,${bytes.toString('base64')}`;
  return form === 'json'
    ? { method: 'POST', path: `/api/v1/Attachment/chunk/${id}`, headers: json, body: Buffer.from(JSON.stringify(dataUrl)) }
    : { method: 'POST', path: `/api/v1/Attachment/chunk/${id}`, headers: { ...key, 'Content-Type': 'text/plain' }, body: Buffer.from(dataUrl) };
}

async function send(url: string, request: RawRequest) {
  const { answer, ending } = await sendRaw(url, request, { kind: 'none' }, 10_000);
  if (!answer) throw new Error(`no answer: ${ending}`);
  return answer;
}

test('a chunk identical to the one before it is refused with 409, not appended; the upload goes on and ends byte-identical', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const bytes = randomBytes(30_000);
  const parts = [bytes.subarray(0, 10_000), bytes.subarray(10_000, 20_000), bytes.subarray(20_000)];
  const id = await start(server.url, bytes.length);
  expect((await send(server.url, chunk(id, parts[0]))).status).toBe(200);
  expect((await send(server.url, chunk(id, parts[1], 'text'))).status).toBe(200);

  // The client lost the answer to chunk 2 and sends it again.
  const again = chunk(id, parts[1]);
  const repeated = await send(server.url, again);
  expect(repeated.status).toBe(409);
  expect(repeated.headers['x-status-reason']).toBe('Chunk repeats the previous chunk (same length and SHA-256) and was not appended; received 20000 of 30000 bytes in 2 chunk(s).');
  const response = new Response(null, { status: repeated.status, headers: repeated.headers });
  expect(await judge('espocrm', 'POST', `${server.url}${again.path}`, response, { refused: true })).toEqual([]);

  expect((await send(server.url, chunk(id, parts[2]))).status).toBe(200);
  const record = (await (await fetch(`${server.url}/api/v1/Attachment/${id}`, { headers: key })).json()) as { isBeingUploaded: boolean; size: number };
  expect(record).toMatchObject({ isBeingUploaded: false, size: bytes.length });
  const file = Buffer.from(await (await fetch(`${server.url}/api/v1/Attachment/file/${id}`, { headers: key })).arrayBuffer());
  expect(sha256(file)).toBe(sha256(bytes));
});

test('a download while the upload is in progress serves the chunks received so far', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const bytes = randomBytes(9000);
  const id = await start(server.url, bytes.length);
  await send(server.url, chunk(id, bytes.subarray(0, 3000)));
  await send(server.url, chunk(id, bytes.subarray(3000, 6000)));
  const partial = await fetch(`${server.url}/api/v1/Attachment/file/${id}`, { headers: key });
  expect(partial.status).toBe(200);
  expect(partial.headers.get('content-length')).toBe('6000');
  expect(Buffer.from(await partial.arrayBuffer()).equals(bytes.subarray(0, 6000))).toBe(true);
});

test('a chunk for an unknown attachment is answered 404 before its body is read', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  // 200 MiB declared, 4 MiB sent, then nothing: the answer must not wait for the rest.
  const body = Buffer.alloc(4 * 1024 * 1024, 0x41);
  const request: RawRequest = { method: 'POST', path: '/api/v1/Attachment/chunk/0000000000000000a', headers: { ...key, 'Content-Type': 'text/plain', 'Content-Length': String(200 * 1024 * 1024) }, body };
  const result = await sendRaw(server.url, request, { kind: 'stall', offset: body.length }, 5000);
  expect(result.answer?.status, `${result.ending} after ${result.elapsedMs} ms`).toBe(404);
  expect(result.elapsedMs).toBeLessThan(2000);
});

test('a chunk that would pass the declared size is refused as soon as it does, not after it arrived whole', async () => {
  const server = await serverForTest({ apis: ['espocrm'] });
  const id = await start(server.url, 1000);
  const prefix = Buffer.from('data:application/octet-stream;base64,');
  const data = Buffer.from(randomBytes(3 * 1024 * 1024).toString('base64'));
  const body = Buffer.concat([prefix, data]);
  const request: RawRequest = { method: 'POST', path: `/api/v1/Attachment/chunk/${id}`, headers: { ...key, 'Content-Type': 'text/plain', 'Content-Length': String(100 * 1024 * 1024) }, body };
  const result = await sendRaw(server.url, request, { kind: 'stall', offset: body.length }, 5000);
  expect(result.answer?.status, `${result.ending} after ${result.elapsedMs} ms`).toBe(400);
  expect(result.answer?.headers['x-status-reason']).toBe('File size mismatch.');
  // Nothing was appended: the declared 1000 bytes still fit.
  expect((await send(server.url, chunk(id, randomBytes(1000)))).status).toBe(200);
});

/** Mounting a tmpfs needs root; CI runs as root (as the fault harness's full-disk test does). */
const root = process.getuid?.() === 0;

test.runIf(root)('a disk that fills while the last chunk is composed is answered in the dialect; the last chunk sent again once there is room completes the file', async () => {
  const dataDir = tempDirForTest('attachkit-chunk-full-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dataDir]);
  onTestFinished(() => void execFileSync('umount', ['-l', dataDir]));
  const server = await serverForTest({ dataDir });
  const bytes = randomBytes(2 * 1024 * 1024);
  const [first, last] = [bytes.subarray(0, 1024 * 1024), bytes.subarray(1024 * 1024)];
  const id = await start(server.url, bytes.length);
  expect((await send(server.url, chunk(id, first))).status).toBe(200);

  // Fill the disk, then free 1.5 MiB: room for the last chunk, not for the 2 MiB composed copy.
  const filler = path.join(dataDir, 'filler');
  const handle = fs.openSync(filler, 'w');
  try {
    for (const block = Buffer.alloc(64 * 1024); ; ) fs.writeSync(handle, block);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    fs.closeSync(handle);
  }
  fs.truncateSync(filler, fs.statSync(filler).size - 1.5 * 1024 * 1024);
  const full = await send(server.url, chunk(id, last));
  expect([full.status, full.headers['x-status-reason']]).toEqual([500, 'Insufficient storage: the server has no room left for the file.']);
  const response = new Response(null, { status: full.status, headers: full.headers });
  expect(await judge('espocrm', 'POST', `${server.url}/api/v1/Attachment/chunk/${id}`, response, {})).toEqual([]);
  // The failed composition left nothing behind.
  expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);

  fs.rmSync(filler);
  const again = await send(server.url, chunk(id, last));
  expect([again.status, again.headers['x-status-reason']]).toEqual([200, undefined]);
  const record = (await (await fetch(`${server.url}/api/v1/Attachment/${id}`, { headers: key })).json()) as { isBeingUploaded: boolean; size: number };
  expect(record).toMatchObject({ isBeingUploaded: false, size: bytes.length });
  const file = Buffer.from(await (await fetch(`${server.url}/api/v1/Attachment/file/${id}`, { headers: key })).arrayBuffer());
  expect(sha256(file)).toBe(sha256(bytes));
  // Only the composed file is left: the chunks and the resent copy are removed.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(fs.readdirSync(path.join(dataDir, 'files'))).toHaveLength(1);
});

test('when the transaction that completes the upload fails, the composed copy is removed at once and the last chunk sent again completes the file', async () => {
  const dataDir = tempDirForTest('attachkit-chunk-commit-');
  const server = await serverForTest({ dataDir });
  const files = () => fs.readdirSync(path.join(dataDir, 'files')).length;
  const bytes = randomBytes(20_000);
  const id = await start(server.url, bytes.length);
  expect((await send(server.url, chunk(id, bytes.subarray(0, 10_000)))).status).toBe(200);
  // The upload's empty start and one chunk.
  expect(files()).toBe(2);

  const spy = vi.spyOn(EspoRepository.prototype, 'completeChunkedUpload').mockRejectedValueOnce(new Error('the record store went away'));
  onTestFinished(() => spy.mockRestore());
  const failed = await send(server.url, chunk(id, bytes.subarray(10_000)));
  expect(failed.status).toBe(500);
  // Both chunks stay recorded; the composed copy no record claims is gone (and the resent chunk's blob too).
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(files()).toBe(3);

  const again = await send(server.url, chunk(id, bytes.subarray(10_000)));
  expect([again.status, again.headers['x-status-reason']]).toEqual([200, undefined]);
  const file = Buffer.from(await (await fetch(`${server.url}/api/v1/Attachment/file/${id}`, { headers: key })).arrayBuffer());
  expect(sha256(file)).toBe(sha256(bytes));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(files()).toBe(1);
});
