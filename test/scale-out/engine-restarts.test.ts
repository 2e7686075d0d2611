import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { fileApis, type FileSession } from '../support/file-apis.ts';
import { freshBucket, privatePostgres, privateSwift, type PrivateEngine } from '../support/engines.ts';
import { startServerProcess } from '../support/server-process.ts';

/**
 * What each API answers meanwhile: its dialect's 500, carrying the reason where that dialect
 * puts messages (EspoCRM's X-Status-Reason, the others' bodies). An engine told to stop may finish requests on open connections for a few seconds
 * (Swift's workers drain), so this waits for the first answer that is not a success.
 */
async function failsInDialect(session: FileSession, id: string, label: string): Promise<void> {
  let response = await session.download(id);
  for (let waited = 0; response.status === 200 && waited < 30_000; waited += 500) {
    await response.arrayBuffer();
    await new Promise((r) => setTimeout(r, 500));
    response = await session.download(id);
  }
  const started = Date.now();
  await response.arrayBuffer();
  const again = await session.download(id);
  const said = `${again.headers.get('x-status-reason') ?? ''} ${await again.text()}`;
  expect(`${label}: ${response.status}, again ${again.status}`).toBe(`${label}: 500, again 500`);
  expect(said).toContain('The store is temporarily unavailable; try again.');
  // Fails fast: no request hangs on an engine that is down.
  expect(Date.now() - started).toBeLessThan(20_000);
}

async function recovers(session: FileSession, id: string, bytes: Buffer): Promise<void> {
  let status = 0;
  for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
    const response = await session.download(id);
    status = response.status;
    if (status === 200) expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    else await new Promise((r) => setTimeout(r, 500));
  }
  expect(status).toBe(200);
}

test('a restart of PostgreSQL, then of the object store: requests fail in each API’s dialect meanwhile and work again after, without restarting attachkit', { timeout: 400_000 }, async () => {
  const engines: PrivateEngine[] = [];
  try {
    const pg = await privatePostgres();
    engines.push(pg);
    const swift = await privateSwift();
    engines.push(swift);
    const blobUrl = `s3://${freshBucket()}?endpoint=${encodeURIComponent(swift.s3.endpoint)}&region=${swift.s3.region}`;
    const server = await startServerProcess(['--in-memory', '--database-url', pg.databaseUrl, '--blob-url', blobUrl], {
      env: { AWS_ACCESS_KEY_ID: swift.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: swift.s3.secretAccessKey },
    });
    try {
      const stored = await Promise.all(
        fileApis.map(async (api) => {
          const session = await api.connect(server.url);
          const bytes = randomBytes(64 * 1024);
          const uploaded = await session.upload(`${api.id}-restart.bin`, bytes);
          expect(uploaded.status).toBeLessThan(300);
          return { api, session, bytes, id: uploaded.id! };
        }),
      );
      for (const engine of [
        { name: 'PostgreSQL', control: pg },
        { name: 'object store', control: swift },
      ]) {
        await engine.control.stop();
        for (const { api, session, id } of stored) await failsInDialect(session, id, `${api.id} while the ${engine.name} is down`);
        await engine.control.start();
        for (const { session, id, bytes } of stored) await recovers(session, id, bytes);
        // And new writes work too.
        for (const { api, session } of stored) expect((await session.upload(`${api.id}-after.bin`, Buffer.from('after'))).status).toBeLessThan(300);
      }
      expect(server.child.exitCode).toBeNull();
    } finally {
      await server.kill('SIGTERM');
    }
  } finally {
    for (const engine of engines) await engine.destroy().catch(() => undefined);
  }
});
