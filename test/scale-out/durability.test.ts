import { createHash, randomBytes } from 'node:crypto';
import { expect, test, vi } from 'vitest';
import { openStore } from '../../server/store/open-store.ts';
import { uploadThroughACrash } from '../support/crash-uploads.ts';
import { fileApis } from '../support/file-apis.ts';
import { startInstances } from '../support/instances.ts';
import { blobBytes, blobKeys, rows } from '../support/store-inspect.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('SIGKILL of one of two instances during 50 uploads: every acknowledged upload survives whole on both, no record without bytes, nothing left over', { timeout: 300_000 }, async () => {
  const { servers, store, start } = await startInstances(2);
  const [victim, survivor] = servers;
  const sessions = await Promise.all(servers.flatMap((s) => fileApis.map((api) => api.connect(s.url))));
  const uploads = Array.from({ length: 50 }, (_, i) => {
    const bytes = randomBytes(192 * 1024 + i * 160 * 1024);
    // Alternate instances and APIs; the larger ones go to S3 as multipart uploads.
    return { api: i % fileApis.length, instance: Math.floor(i / fileApis.length) % 2, name: `durable-${i}.bin`, bytes, sha: sha256(bytes) };
  });
  const { acknowledged, cut } = await uploadThroughACrash(uploads, (upload) => sessions[upload.instance * fileApis.length + upload.api].upload(upload.name, upload.bytes), () => victim.kill('SIGKILL'));
  expect(cut).toBeGreaterThan(0);
  expect(acknowledged.length).toBeGreaterThanOrEqual(10);

  // The survivor never stopped; the victim comes back (sweeping at once: nothing else is writing).
  const revived = await start(['--sweep-grace', '0s']);
  for (const server of [survivor, revived]) {
    const again = await Promise.all(fileApis.map((api) => api.connect(server.url)));
    for (const upload of acknowledged) {
      const response = await again[upload.api].download(upload.id);
      expect(`${fileApis[upload.api].id} ${upload.name}: ${response.status}`).toBe(`${fileApis[upload.api].id} ${upload.name}: 200`);
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(upload.sha);
    }
  }

  // Every claimed blob is whole and one of the uploads; no unclaimed object or unfinished upload remains.
  const inspect = await openStore({ dataDir: '', inMemory: true, databaseUrl: store.databaseUrl, blobUrl: store.blobUrl, env: { ...process.env, ...store.env } });
  try {
    const claimed = await rows<{ key: string; size: number; sha256: string }>(inspect, 'SELECT key, size, sha256 FROM blobs');
    const sent = new Set(uploads.map((u) => u.sha));
    for (const blob of claimed) {
      const bytes = await blobBytes(inspect, blob.key);
      expect(bytes.length).toBe(Number(blob.size));
      expect(sha256(bytes)).toBe(blob.sha256);
      expect(sent.has(blob.sha256)).toBe(true);
    }
    // Swift's listings catch up with removals shortly after them.
    await vi.waitFor(async () => expect(await blobKeys(inspect)).toEqual(claimed.map((b) => b.key).sort()), { timeout: 15_000, interval: 250 });
    await vi.waitFor(async () => expect(await inspect.blobs.pendingBytes()).toBe(0), { timeout: 15_000, interval: 250 });
    expect(claimed.length).toBeGreaterThanOrEqual(acknowledged.length);
  } finally {
    await inspect.close();
  }
});
