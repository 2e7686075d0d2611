import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { fileApis } from '../support/file-apis.ts';
import { startReferenceServer } from '../support/reference-server.ts';
import { tempDirForTest } from '../support/scoped.ts';
import { startServerProcess } from '../support/server-process.ts';

// The start-up check repairs both directions between records and bytes and says what it did; a
// damaged database stops the start with a clear message. (Issue 9: rows without files stayed
// forever, each download a 500; a corrupted database was not noticed.)
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('records whose file is gone are removed, bytes no record claims are swept, a resized file is reported; each API reads on', async () => {
  const dataDir = tempDirForTest('attachkit-startup-');
  const files = path.join(dataDir, 'files');
  const first = await startReferenceServer({ dataDir });
  const uploaded: Array<{ api: (typeof fileApis)[number]; kept: { id: string; bytes: Buffer }; removed: string; resized: string; blobs: { removed: string; resized: string } }> = [];
  for (const api of fileApis) {
    const session = await api.connect(first.url);
    const upload = async (name: string) => {
      const before = new Set(fs.readdirSync(files));
      const bytes = Buffer.from(`${api.id} ${name} `.repeat(200));
      const { id } = await session.upload(name, bytes);
      return { id: id!, bytes, blob: fs.readdirSync(files).find((f) => !before.has(f))! };
    };
    const kept = await upload('kept.txt');
    const removed = await upload('removed.txt');
    const resized = await upload('resized.txt');
    uploaded.push({ api, kept, removed: removed.id, resized: resized.id, blobs: { removed: removed.blob, resized: resized.blob } });
  }
  await first.close();

  for (const u of uploaded) {
    fs.rmSync(path.join(files, u.blobs.removed));
    fs.truncateSync(path.join(files, u.blobs.resized), 10);
  }
  fs.writeFileSync(path.join(files, '00000000-0000-4000-8000-00000000beef'), 'no record claims this');
  fs.writeFileSync(path.join(dataDir, 'tmp', 'cut.part'), 'an interrupted write');

  const second = await startReferenceServer({ dataDir });
  try {
    expect(second.startup.droppedRecords).toEqual(Object.fromEntries(fileApis.map((api) => [api.id, 1])));
    expect(second.startup.damagedBlobs.sort()).toEqual(uploaded.map((u) => u.blobs.resized).sort());
    expect(second.startup.swept).toEqual({ temp: 1, orphans: 1 });
    for (const u of uploaded) {
      const session = await u.api.connect(second.url);
      const kept = await session.download(u.kept.id);
      expect(kept.status).toBe(200);
      expect(sha256(Buffer.from(await kept.arrayBuffer()))).toBe(sha256(u.kept.bytes));
      const removed = await session.download(u.removed);
      expect(`${u.api.id} removed: ${removed.status}`).toMatch(/: 404$/);
      await removed.arrayBuffer();
      const resized = await session.download(u.resized);
      expect(`${u.api.id} resized: ${resized.status}`).toMatch(/: 500$/);
      await resized.arrayBuffer();
    }
  } finally {
    await second.close();
  }
  // `attachkit serve` logs what the check found; the removed records stay gone, nothing is left to repair.
  fs.writeFileSync(path.join(dataDir, 'tmp', 'cut-again.part'), 'an interrupted write');
  const third = await startServerProcess(['--data-dir', dataDir]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await third.kill('SIGTERM');
  expect(third.output()).toContain('start-up check: swept 1 interrupted write(s) and 0 file(s) no record claims');
  expect(third.output()).toMatch(/start-up check: 3 file\(s\) no longer have the size they were stored with \(downloads refuse them\)/);
  expect(third.output()).not.toContain('removed');
});

for (const [what, damage] of [
  ['every page but the schema', (size: number) => ({ at: 4096, length: size - 4096 })],
  ['one page of records (found by quick_check)', (size: number) => ({ at: size - 4096, length: 4096 })],
] as const) {
  test(`a damaged database (${what}) stops \`attachkit serve\` with a message that says so`, async () => {
    const dataDir = tempDirForTest('attachkit-damaged-');
    const first = await startReferenceServer({ dataDir });
    const session = await fileApis[0].connect(first.url);
    for (let i = 0; i < 40; i++) await session.upload(`f${i}.txt`, Buffer.alloc(100, i));
    await first.close();
    const db = path.join(dataDir, 'attachkit.db');
    const { at, length } = damage(fs.statSync(db).size);
    const fd = fs.openSync(db, 'r+');
    fs.writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, at);
    fs.closeSync(fd);
    const outcome = await startServerProcess(['--data-dir', dataDir]).then(
      async (server) => {
        await server.kill('SIGKILL');
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/exited with 2/);
    expect(outcome).toMatch(/database at .* is damaged/);
  });
}
