import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { fileApis, type FileSession } from '../support/file-apis.ts';
import { startServerProcess } from '../support/server-process.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const workers = 200;
const seconds = 30;

test(`${workers} concurrent mixed requests for ${seconds} s: no 5xx, no transport error, no lost write`, { timeout: 180_000 }, async () => {
  const server = await startServerProcess(['--in-memory']);
  try {
    const sessions = await Promise.all(fileApis.map((api) => api.connect(server.url)));
    const writes: Array<{ session: FileSession; api: string; id: string; sha: string }> = [];
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);
    const deadline = Date.now() + seconds * 1000;

    async function worker(n: number): Promise<void> {
      for (let i = 0; Date.now() < deadline; i++) {
        const which = (n + i) % fileApis.length;
        const session = sessions[which];
        const { id: api, missingId } = fileApis[which];
        try {
          const action = (n * 7 + i) % 5;
          if (action < 2 || writes.length === 0) {
            const bytes = randomBytes(1024 + ((n * 131 + i * 977) % 64) * 1024);
            const result = await session.upload(`load-${n}-${i}.bin`, bytes);
            count(`${api} upload ${result.status}`);
            if (result.status >= 500) failures.push(`${api} upload answered ${result.status}`);
            if (result.status >= 200 && result.status < 300 && result.id) writes.push({ session, api, id: result.id, sha: sha256(bytes) });
          } else if (action < 4) {
            const write = writes[(n * 31 + i) % writes.length];
            const response = await write.session.download(write.id);
            const body = Buffer.from(await response.arrayBuffer());
            count(`${write.api} download ${response.status}`);
            if (response.status !== 200 || sha256(body) !== write.sha) failures.push(`${write.api} download of ${write.id}: ${response.status}`);
          } else {
            const response = await session.download(missingId);
            await response.arrayBuffer();
            count(`${api} missing ${response.status}`);
            if (response.status >= 500) failures.push(`${api} download of a missing id answered ${response.status}`);
          }
        } catch (error) {
          failures.push(`${api}: ${(error as Error).message} ${(error as { cause?: { code?: string } }).cause?.code ?? ''}`);
        }
      }
    }
    await Promise.all(Array.from({ length: workers }, (_, n) => worker(n)));

    // Every acknowledged write is still there, byte for byte.
    const lost: string[] = [];
    for (let i = 0; i < writes.length; i += 25) {
      await Promise.all(
        writes.slice(i, i + 25).map(async (write) => {
          const response = await write.session.download(write.id);
          const body = Buffer.from(await response.arrayBuffer());
          if (response.status !== 200 || sha256(body) !== write.sha) lost.push(`${write.api} ${write.id}: ${response.status}`);
        }),
      );
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`${total} requests in ${seconds} s by ${workers} workers; ${writes.length} acknowledged writes`, Object.fromEntries([...statuses].sort()));
    expect(failures.slice(0, 10)).toEqual([]);
    expect(lost.slice(0, 10)).toEqual([]);
    expect(writes.length).toBeGreaterThan(100);
    for (const api of fileApis) expect([...statuses.keys()].filter((k) => k.startsWith(api.id)).length).toBeGreaterThanOrEqual(2);
  } finally {
    await server.kill('SIGTERM');
  }
});
