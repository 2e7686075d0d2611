import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { apis } from '../../registry.ts';
import { psql } from '../support/engines.ts';
import { fileApis } from '../support/file-apis.ts';
import { startInstances } from '../support/instances.ts';
import { runCli } from '../support/run-cli.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('several attachkit instances on one PostgreSQL and one S3 bucket', () => {
  test("every API's conformance suite passes through nginx round-robin over two instances (in the default workspace and in a /ws/ one)", { timeout: 600_000 }, async () => {
    const { balancer } = await startInstances(2);
    for (const [i, api] of apis.entries()) {
      // Alternate: the prefix-less paths for one API, a workspace for the next.
      const base = i % 2 === 0 ? balancer.url : `${balancer.url}/ws/conformance-${api.id}`;
      const result = await runCli(['conformance', api.id, '--base-url', base]);
      expect(result.code, `${api.id} at ${base}:\n${result.stderr.slice(-4000)}`).toBe(0);
      expect(result.stderr).toContain('scenarios passed, 0 of');
    }
  });

  test('instances started together migrate and seed once; an upload through one downloads through another; tokens work on all', async () => {
    const { servers, balancer, store } = await startInstances(3);
    // Concurrent start-up: one set of migrations, one default workspace, every instance up.
    const migrations = (await psql(store.databaseUrl, 'SELECT id FROM migrations ORDER BY id')).split('\n');
    expect(new Set(migrations).size).toBe(migrations.length);
    expect(migrations.length).toBeGreaterThan(apis.length);
    expect(await psql(store.databaseUrl, 'SELECT count(*) FROM workspaces')).toBe('1');

    for (const api of fileApis) {
      const [a, b, c] = await Promise.all(servers.map((s) => api.connect(s.url)));
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const uploaded = await a.upload(`${api.id}-cross.bin`, bytes);
      expect(uploaded.status).toBeLessThan(300);
      for (const other of [b, c]) {
        const response = await other.download(uploaded.id!);
        expect(`${api.id} ${response.status}`).toBe(`${api.id} 200`);
        expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(bytes));
      }
      // One session (one token) through the balancer: consecutive requests go to different
      // instances, and every one accepts the token another issued.
      const balanced = await api.connect(balancer.url);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await balanced.download(uploaded.id!);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      expect(`${api.id} ${statuses.join(',')}`).toBe(`${api.id} 200,200,200,200,200,200`);
    }
  });
});
