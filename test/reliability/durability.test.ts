import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { uploadThroughACrash } from '../support/crash-uploads.ts';
import { fileApis } from '../support/file-apis.ts';
import { startServerProcess } from '../support/server-process.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-durability-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test('SIGKILL during 50 concurrent uploads: every acknowledged upload survives whole, nothing half-written, no orphan', async () => {
  const first = await startServerProcess(['--data-dir', dataDir]);
  const sessions = await Promise.all(fileApis.map((api) => api.connect(first.url)));
  const uploads = Array.from({ length: 50 }, (_, i) => {
    const bytes = randomBytes(192 * 1024 + i * 48 * 1024);
    return { api: i % fileApis.length, name: `durable-${i}.bin`, bytes, sha: sha256(bytes) };
  });
  const { acknowledged, cut } = await uploadThroughACrash(uploads, (upload) => sessions[upload.api].upload(upload.name, upload.bytes), () => first.kill('SIGKILL'));
  // The crash must really have interrupted uploads, or this test proves nothing.
  expect(cut).toBeGreaterThan(0);
  expect(acknowledged.length).toBeGreaterThanOrEqual(10);

  const second = await startServerProcess(['--data-dir', dataDir]);
  try {
    const again = await Promise.all(fileApis.map((api) => api.connect(second.url)));
    for (const upload of acknowledged) {
      const response = await again[upload.api].download(upload.id);
      expect(`${fileApis[upload.api].id} ${upload.name}: ${response.status}`).toBe(`${fileApis[upload.api].id} ${upload.name}: 200`);
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(upload.sha);
    }
  } finally {
    await second.kill('SIGTERM');
  }

  // Every stored file is whole and is one of the uploads; no temp or unreferenced file is left.
  const db = new Database(path.join(dataDir, 'attachkit.db'), { readonly: true });
  const blobs = db.prepare('SELECT key, size, sha256 FROM blobs').all() as Array<{ key: string; size: number; sha256: string }>;
  db.close();
  const sent = new Set(uploads.map((u) => u.sha));
  for (const blob of blobs) {
    const bytes = fs.readFileSync(path.join(dataDir, 'files', blob.key));
    expect(bytes.length).toBe(blob.size);
    expect(sha256(bytes)).toBe(blob.sha256);
    expect(sent.has(blob.sha256)).toBe(true);
  }
  expect(fs.readdirSync(path.join(dataDir, 'files')).sort()).toEqual(blobs.map((b) => b.key).sort());
  expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
  expect(blobs.length).toBeGreaterThanOrEqual(acknowledged.length);
});
