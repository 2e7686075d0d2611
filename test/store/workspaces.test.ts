import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { apis, specFile } from '../../registry.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import { fileApis } from '../support/file-apis.ts';
import { serverForTest } from '../support/scoped.ts';
import { blobKeys, rows, scalar } from '../support/store-inspect.ts';

describe('workspaces: /ws/<name>/ in front of any base path', () => {
  test('each workspace is created and seeded on first use and sees only its own records; no prefix is the default workspace', async () => {
    const server = await serverForTest();
    const site = (workspace?: string) => (workspace ? `${server.url}/ws/${workspace}` : server.url);
    for (const api of fileApis) {
      // Connecting gets credentials inside the workspace; uploading needs its seeded records (Case IQ's case).
      const alpha = await api.connect(site('alpha'));
      const bytes = randomBytes(4096);
      const uploaded = await alpha.upload(`${api.id}-alpha.bin`, bytes);
      expect(`${api.id} ${uploaded.status}`).toMatch(new RegExp(`^${api.id} 20[01]$`));
      const own = await alpha.download(uploaded.id!);
      expect(own.status).toBe(200);
      expect(Buffer.from(await own.arrayBuffer()).equals(bytes)).toBe(true);

      for (const other of [await api.connect(site('beta')), await api.connect(site())]) {
        const missing = await other.download(api.missingId);
        const foreign = await other.download(uploaded.id!);
        await Promise.all([missing.arrayBuffer(), foreign.arrayBuffer()]);
        // Another workspace's record is as absent as one that never existed, in the API's own 404.
        expect(`${api.id} ${foreign.status}`).toBe(`${api.id} ${missing.status}`);
        expect(missing.status).toBe(404);
      }
    }
    const workspaces = (await rows<{ name: string }>(server.store, 'SELECT name FROM workspaces ORDER BY name')).map((w) => w.name);
    expect(workspaces).toEqual(['alpha', 'beta', 'default']);
  });

  test('--workspace-ttl: an idle workspace goes with its records and blobs; a used one and the default stay; the next use starts it afresh', async () => {
    const server = await serverForTest({ workspaceTtlMs: 3_600_000 });
    const site = (workspace?: string) => (workspace ? `${server.url}/ws/${workspace}` : server.url);
    const kept: Array<{ session: Awaited<ReturnType<(typeof fileApis)[number]['connect']>>; id: string }> = [];
    const idleIds = new Map<string, string>();
    for (const api of fileApis) {
      for (const workspace of ['idle', 'busy', undefined]) {
        const session = await api.connect(site(workspace));
        const uploaded = await session.upload(`${api.id}-${workspace ?? 'default'}.bin`, randomBytes(2048));
        expect(uploaded.status).toBeLessThan(300);
        if (workspace === 'idle') idleIds.set(api.id, uploaded.id!);
        else kept.push({ session, id: uploaded.id! });
      }
    }
    const blobsBefore = await blobKeys(server.store);
    const idleBlobs = (await rows<{ key: string }>(server.store, "SELECT key FROM blobs WHERE workspace = 'idle'")).map((r) => r.key);
    expect(idleBlobs).toHaveLength(fileApis.length);
    // Two hours without a request in 'idle' (and in the default workspace, which never goes).
    await rows(server.store, `UPDATE workspaces SET last_used_at = ${Date.now() - 7_200_000} WHERE name IN ('idle', 'default')`);

    expect(await server.workspaces.removeIdle()).toEqual(['idle']);
    expect((await rows<{ name: string }>(server.store, 'SELECT name FROM workspaces ORDER BY name')).map((w) => w.name)).toEqual(['busy', 'default']);
    expect(await blobKeys(server.store)).toEqual(blobsBefore.filter((key) => !idleBlobs.includes(key)));
    expect(await rows(server.store, "SELECT key FROM blobs WHERE workspace = 'idle'")).toEqual([]);
    for (const { session, id } of kept) expect((await session.download(id)).status).toBe(200);
    // Used again, 'idle' is a new, seeded, empty workspace: its old records are gone (a record
    // left without its blob would answer 500, not 404).
    for (const api of fileApis) {
      const session = await api.connect(site('idle'));
      expect(`${api.id} ${(await session.download(idleIds.get(api.id)!)).status}`).toBe(`${api.id} 404`);
      expect((await session.upload('again.bin', Buffer.from('again'))).status).toBeLessThan(300);
    }
  });

  test('the site root of a workspace lists base URLs with its prefix; a malformed workspace name is a 404', async () => {
    const server = await serverForTest();
    const listed = (await (await fetch(`${server.url}/ws/team-1/`)).json()) as { apis: Array<{ baseUrl: string }> };
    expect(listed.apis.map((a) => a.baseUrl)).toEqual(apis.map((a) => `${server.url}/ws/team-1${a.basePath}`));
    for (const bad of ['/ws//api', '/ws/-x/', `/ws/${'a'.repeat(64)}/`, '/ws/a%2Fb/', '/ws/%E0%A4%A/']) {
      const response = await fetch(`${server.url}${bad}`);
      expect(`${bad} ${response.status}`).toBe(`${bad} 404`);
    }
    expect((await rows(server.store, "SELECT name FROM workspaces WHERE name <> 'default'")).length).toBe(0);
  });

  test('requests without valid credentials create no workspace: every operation anonymously, the open ones with wrong credentials, unknown paths', async () => {
    const server = await serverForTest();
    const before = await scalar(server.store, 'SELECT COUNT(*) FROM workspaces');
    const answers: string[] = [];
    for (const api of apis) {
      const contract = new OperationIndex(loadSpec(specFile(api)));
      // The open operations (token endpoints) first, each with its contract's first JSON example,
      // a well-formed request whose credentials are not the server's; then an unknown path; then
      // every other operation, without credentials.
      const operations = [...contract.operations].sort((a, b) => Number(b.open) - Number(a.open));
      const targets = operations.map((op) => ({
        method: op.method.toUpperCase(),
        path: op.path.replace(/\{[^}]+\}/g, '1'),
        body: JSON.stringify((Object.values(op.requestBody?.content?.['application/json']?.examples ?? {})[0] as { value?: unknown } | undefined)?.value ?? {}),
      }));
      targets.splice(operations.filter((op) => op.open).length, 0, { method: 'GET', path: `${api.basePath}/no-such-route`, body: '' });
      for (let i = 0; i < Math.max(20, targets.length); i++) {
        const { method, path, body } = targets[i % targets.length];
        const workspace = `anon-${randomBytes(6).toString('hex')}`;
        const withBody = method !== 'GET' && method !== 'HEAD';
        const response = await fetch(`${server.url}/ws/${workspace}${path}`, { method, ...(withBody ? { headers: { 'Content-Type': 'application/json' }, body } : {}) });
        await response.arrayBuffer();
        answers.push(`${api.id} ${method} ${path} ${response.status}`);
      }
    }
    // Each was refused (in its API's dialect), and none left a workspace behind.
    expect(answers.filter((answer) => !/ [45]\d\d$/.test(answer))).toEqual([]);
    expect(await scalar(server.store, "SELECT COUNT(*) FROM workspaces WHERE name LIKE 'anon-%'")).toBe(0);
    expect(await scalar(server.store, 'SELECT COUNT(*) FROM workspaces')).toBe(before);
  });
});
