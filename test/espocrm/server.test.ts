import express from 'express';
import type { AddressInfo } from 'node:net';
import { onTestFinished, describe, expect, test, vi } from 'vitest';
import { configuredCredential, specFile, findApi } from '../../registry.ts';
import { flattenServers } from '../../lib/openapi/flatten-servers.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import { espocrm } from '../../server/apis/espocrm/index.ts';
import { createApiApp } from '../../server/kit/mount-api.ts';
import { assertDocumentedHeaders } from '../../server/kit/send-stored-file.ts';
import { defaultServerConfig } from '../../server/kit/server-config.ts';
import type { ApiContext, OperationHandler, ServerApi } from '../../server/kit/server-api.ts';
import { Workspaces } from '../../server/kit/workspaces.ts';
import { openStore } from '../../server/store/open-store.ts';
import { startReferenceServer } from '../support/reference-server.ts';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';
import { abandonWrite, blobKeys } from '../support/store-inspect.ts';

const key = { 'X-Api-Key': 'espocrm-dev-key' };
const json = { ...key, 'Content-Type': 'application/json' };
const upload = (name: string, text: string) =>
  JSON.stringify({ name, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: `data:text/plain;base64,${Buffer.from(text).toString('base64')}` });

const server = (options: Parameters<typeof serverForTest>[0] = {}) => serverForTest({ apis: ['espocrm'], ...options });

/** One API's sub-app with handlers swapped, to reach pipeline behaviour no real handler shows. */
async function apiWith(handlers: Record<string, OperationHandler>): Promise<string> {
  const store = await openStore({ dataDir: '', inMemory: true });
  const source = loadSpec(specFile(findApi('espocrm')!));
  const { doc, mounts } = flattenServers(source);
  const workspaces = new Workspaces(store, { seed: async () => {}, apis: () => [] });
  const ctx: ApiContext = { api: 'espocrm', contract: new OperationIndex(source), store, workspaces, config: defaultServerConfig, faults: new Set(), credential: (flag) => configuredCredential(findApi('espocrm')!, flag), siteUrl: () => '' };
  await store.migrate(espocrm.migrations);
  const api: ServerApi = { ...espocrm, handlers };
  const app = express().use(mounts, createApiApp(api, ctx, doc));
  const listening = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  onTestFinished(() => new Promise<void>((resolve) => listening.close(() => void store.close().then(resolve))));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

describe('EspoCRM reference server', () => {
  test('records and file contents survive a restart on the same data dir', async () => {
    const dataDir = tempDirForTest('attachkit-data-');
    const first = await startReferenceServer({ apis: ['espocrm'], dataDir });
    const created = await (await fetch(`${first.url}/api/v1/Attachment`, { method: 'POST', headers: json, body: upload('kept.txt', 'still here') })).json();
    await first.close();

    const second = await server({ dataDir });
    const download = await fetch(`${second.url}/api/v1/Attachment/file/${created.id}`, { headers: key });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('still here');
  });

  test('start-up sweeps interrupted writes and blobs no record claims', async () => {
    const dataDir = tempDirForTest('attachkit-data-');
    const first = await startReferenceServer({ apis: ['espocrm'], dataDir });
    const created = await (await fetch(`${first.url}/api/v1/Attachment`, { method: 'POST', headers: json, body: upload('real.txt', 'referenced') })).json();
    const [claimed] = await blobKeys(first.store);
    // A crash between the bytes and the record, and a crash in the middle of the bytes.
    await first.store.blobs.write(Buffer.from('orphan'));
    await abandonWrite(first.store);
    expect(await blobKeys(first.store)).toHaveLength(2);
    expect(await first.store.blobs.pendingBytes()).toBeGreaterThan(0);
    await first.close();
    // S3 listings give times rounded up to the next second (Swift: ceil), and the sweep spares
    // anything not provably older than its start: let a second pass.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const second = await server({ dataDir });
    // Swift's listings catch up with a removal shortly after it (object stores list eventually).
    await vi.waitFor(async () => expect(await second.store.blobs.pendingBytes()).toBe(0), { timeout: 15_000, interval: 250 });
    await vi.waitFor(async () => expect(await blobKeys(second.store)).toEqual([claimed]), { timeout: 15_000, interval: 250 });
    expect(await (await fetch(`${second.url}/api/v1/Attachment/file/${created.id}`, { headers: key })).text()).toBe('referenced');
  });

  test('an operation without a handler answers 501 in the dialect, never a silent 200', async () => {
    const url = await apiWith({});
    const response = await fetch(`${url}/api/v1/Attachment/0000000000000000a`, { headers: key });
    expect(response.status).toBe(501);
    expect(response.headers.get('x-status-reason')).toBe('attachkit: operation getAttachment is not implemented.');
    expect(await response.text()).toBe('');
  });

  test('a binary response missing a documented header is stopped before any byte is sent', async () => {
    const url = await apiWith({
      downloadAttachmentFile: (_req, res) => {
        res.status(200).setHeader('Content-Type', 'text/plain');
        assertDocumentedHeaders(res);
        res.end('should not be sent');
      },
    });
    const response = await fetch(`${url}/api/v1/Attachment/file/0000000000000000a`, { headers: key });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-status-reason')).toBe('response to downloadAttachmentFile lacks documented header(s): Content-Disposition, Content-Length');
    expect(await response.text()).toBe('');
  });

  test('a JSON response that breaks the contract is caught by response validation', async () => {
    const url = await apiWith({ getAttachment: (_req, res) => void res.status(200).json({ name: 'no id' }) });
    const response = await fetch(`${url}/api/v1/Attachment/0000000000000000a`, { headers: key });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-status-reason')).toContain("must have required property 'id'");
  });

  test('malformed JSON and a wrong content type get 400 with a reason, not a 500', async () => {
    const { url } = await server();
    const malformed = await fetch(`${url}/api/v1/Attachment`, { method: 'POST', headers: json, body: '{"name": "x",' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-status-reason')).toBe('Malformed JSON body.');
    const html = await fetch(`${url}/api/v1/Document`, { method: 'POST', headers: { ...key, 'Content-Type': 'text/html' }, body: '<p>' });
    expect(html.status).toBeGreaterThanOrEqual(400);
    expect(html.status).toBeLessThan(500);
  });

  test('a file over the upload limit is refused in the dialect, body limit or not', async () => {
    const { url } = await server({ config: { maxFileBytes: 1024 } });
    const over = await fetch(`${url}/api/v1/Attachment`, { method: 'POST', headers: json, body: upload('big.txt', 'x'.repeat(2048)) });
    expect(over.status).toBe(403);
    expect(over.headers.get('x-status-reason')).toBe('Attachment size exceeds `attachmentUploadMaxSize`.');
    const huge = await fetch(`${url}/api/v1/Attachment`, { method: 'POST', headers: json, body: upload('huge.txt', 'x'.repeat(3 * 1024 * 1024)) });
    expect(huge.status).toBe(403);
    expect(huge.headers.get('x-status-reason')).toBe('Attachment size exceeds `attachmentUploadMaxSize`.');
  });

  test('the file name in Content-Disposition is safe for quotes and non-ASCII', async () => {
    const { url } = await server();
    const name = 'quote"d résumé.txt';
    const created = await (await fetch(`${url}/api/v1/Attachment`, { method: 'POST', headers: json, body: upload(name, 'x') })).json();
    const response = await fetch(`${url}/api/v1/Attachment/file/${created.id}`, { headers: key });
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="quote_d resume.txt"; filename*=UTF-8''quote%22d%20r%C3%A9sum%C3%A9.txt`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
