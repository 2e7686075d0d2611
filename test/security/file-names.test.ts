import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fileApis } from '../support/file-apis.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { blobKeys } from '../support/store-inspect.ts';

// Hostile names reach no file-system path: blobs are stored under generated keys only, and a
// download names the file in a header that is safe whatever the name holds.
const names = [
  '../../../../tmp/attachkit-escape.txt',
  '..\\..\\windows\\system.ini',
  'nul\u0000byte.txt',
  'control\u0001\u001b\u007f.txt',
  'line\r\nSet-Cookie: x=1.txt',
  'quote"and\\back.txt',
  `${'long'.repeat(250)}.txt`,
  'résumé 📎 файл.txt',
  // Compatibility forms: NFKD makes `../../evil.sh` of them.
  '‥／‥／evil.sh',
  '..\uff3c..\uff3cevil.sh',
];

const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-names-'));
const dataDir = path.join(parent, 'data');
let server: RunningServer;
beforeAll(async () => {
  server = await startReferenceServer({ dataDir });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(parent, { recursive: true, force: true });
});

for (const api of fileApis) {
  test(`${api.id}: hostile file names never reach the file system and download under a safe header`, async () => {
    const session = await api.connect(server.url);
    let accepted = 0;
    for (const name of names) {
      const bytes = Buffer.from(`contents of ${JSON.stringify(name)}`);
      const uploaded = await session.upload(name, bytes);
      expect(uploaded.status, `upload of ${JSON.stringify(name)}`).toBeLessThan(500);
      if (!uploaded.id) continue; // refused with a 4xx is a fine answer too
      accepted++;
      const response = await session.download(uploaded.id);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const disposition = response.headers.get('content-disposition') ?? '';
      expect(disposition).toMatch(/^attachment; filename="[^"\\\r\n]*"(; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]+)?$/);
      expect(disposition).not.toMatch(/\.\.[/\\]/);
      expect(/filename="([^"]*)"/.exec(disposition)?.[1], `ASCII fallback for ${JSON.stringify(name)}`).not.toMatch(/[/\\]/);
      // A non-ASCII name survives exactly in filename* (RFC 6266).
      if (name.startsWith('résumé')) expect(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(disposition)?.[1] ?? '')).toBe(name);
    }
    expect(accepted).toBeGreaterThanOrEqual(5);
    // Only generated keys in the blob store, nothing beside the data dir.
    expect(fs.readdirSync(parent).filter((name) => name !== 'data')).toEqual([]);
    for (const key of await blobKeys(server.store)) expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(fs.existsSync('/tmp/attachkit-escape.txt')).toBe(false);
  });
}
