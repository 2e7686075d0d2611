import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { fileApis } from '../support/file-apis.ts';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';

// A file changed behind the server's back (removed, truncated) is never served as a 200 of the
// wrong length, and no answer (status reason, JSON or HTML body) names a server path.
async function answerText(response: Response): Promise<string> {
  const headers: string[] = [];
  response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
  return `${headers.join('\n')}\n${Buffer.from(await response.arrayBuffer()).toString('latin1')}`;
}

for (const api of fileApis) {
  test(`${api.id}: a removed or truncated blob is refused in the dialect, without a server path`, async () => {
    const dataDir = tempDirForTest('attachkit-paths-');
    const server = await serverForTest({ dataDir });
    const session = await api.connect(server.url);
    const files = path.join(dataDir, 'files');
    const upload = async (name: string) => {
      const before = new Set(fs.readdirSync(files));
      const { id } = await session.upload(name, Buffer.alloc(4096, 1));
      const blob = fs.readdirSync(files).find((f) => !before.has(f));
      expect(id && blob).toBeTruthy();
      return { id: id!, blob: path.join(files, blob!) };
    };

    const truncated = await upload('truncated.bin');
    fs.truncateSync(truncated.blob, 1000);
    const short = await session.download(truncated.id);
    const shortText = await answerText(short);
    expect(short.status, shortText.slice(0, 300)).not.toBe(200);
    expect(shortText).not.toContain(dataDir);

    const removed = await upload('removed.bin');
    fs.rmSync(removed.blob);
    const gone = await session.download(removed.id);
    const goneText = await answerText(gone);
    expect(gone.status, goneText.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(goneText).not.toContain(dataDir);
    expect(goneText).not.toMatch(/ENOENT|\.part\b|\/files\//);
  });
}
