import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { apis } from '../../registry.ts';
import { fileApis } from '../support/file-apis.ts';
import { serverForTest } from '../support/scoped.ts';
import { rows } from '../support/store-inspect.ts';

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
});
