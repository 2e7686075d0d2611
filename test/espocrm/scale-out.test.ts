import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { startInstances } from '../support/instances.ts';

const key = { 'X-Api-Key': 'espocrm-dev-key', 'Content-Type': 'application/json' };
const post = (url: string, path: string, body: unknown) => fetch(`${url}/api/v1/${path}`, { method: 'POST', headers: key, body: JSON.stringify(body) });

describe('EspoCRM on several instances (PostgreSQL + S3)', () => {
  test('a chunked upload whose chunks go to different instances is whole on every instance', async () => {
    const { servers } = await startInstances(2);
    const bytes = randomBytes(5 * 300_000 + 123);
    const created = await (
      await post(servers[0].url, 'Attachment', { name: 'chunked.txt', type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', isBeingUploaded: true, size: bytes.length })
    ).json();
    for (let offset = 0, i = 0; offset < bytes.length; offset += 300_000, i++) {
      const chunk = `data:text/plain;base64,${bytes.subarray(offset, offset + 300_000).toString('base64')}`;
      const response = await post(servers[i % 2].url, `Attachment/chunk/${created.id}`, chunk);
      expect(`chunk ${i}: ${response.status} ${response.headers.get('x-status-reason') ?? ''}`).toBe(`chunk ${i}: 200 `);
    }
    for (const server of servers) {
      const meta = await (await fetch(`${server.url}/api/v1/Attachment/${created.id}`, { headers: key })).json();
      expect(meta).toMatchObject({ isBeingUploaded: false, size: bytes.length });
      const file = Buffer.from(await (await fetch(`${server.url}/api/v1/Attachment/file/${created.id}`, { headers: key })).arrayBuffer());
      expect(file.equals(bytes)).toBe(true);
    }
  });

  test('concurrent PUTs of one Document with the same X-Version-Number through two instances: one wins, the others get 409', async () => {
    const { servers } = await startInstances(2);
    const [a, b] = servers.map((s) => s.url);
    const writers = 24;
    const attachments = await Promise.all(
      Array.from({ length: writers + 1 }, async (_, i) => {
        const body = { name: `v${i}.txt`, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: 'data:text/plain;base64,dg==' };
        return ((await (await post(a, 'Attachment', body)).json()) as { id: string }).id;
      }),
    );
    const document = await (await post(a, 'Document', { name: 'versioned', publishDate: '2026-11-30', fileId: attachments[writers] })).json();
    expect(document.versionNumber).toBe(1);
    // Each writer also replaces the file: several reads between its version check and its write.
    const responses = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        fetch(`${i % 2 ? b : a}/api/v1/Document/${document.id}`, {
          method: 'PUT',
          headers: { ...key, 'X-Version-Number': '1' },
          body: JSON.stringify({ description: `writer ${i}`, fileId: attachments[i] }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(writers - 1).fill(409)]);
    const final = await (await fetch(`${b}/api/v1/Document/${document.id}`, { headers: key })).json();
    expect(final.versionNumber).toBe(2);
  });
});
