import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { apis, rootDir } from '../registry.ts';

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('generated/ is exactly what npm run generate makes from openapi/', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-generate-'));
  try {
    // The generator CLI itself, as `npm run generate` runs it, with its output redirected.
    execFileSync(process.execPath, [path.join(rootDir, 'node_modules/@hey-api/openapi-ts/bin/run.js')], {
      cwd: rootDir,
      env: { ...process.env, ATTACHKIT_GENERATE_ROOT: out },
      stdio: 'pipe',
    });
    const drift: string[] = [];
    for (const api of apis) {
      const fresh = path.join(out, api.generated);
      const committed = path.join(rootDir, api.generated);
      const names = new Set([...listFiles(fresh), ...listFiles(committed)]);
      for (const name of names) {
        const a = path.join(fresh, name);
        const b = path.join(committed, name);
        if (!fs.existsSync(b)) drift.push(`${api.generated}/${name}: missing (run npm run generate)`);
        else if (!fs.existsSync(a)) drift.push(`${api.generated}/${name}: no longer generated`);
        else if (!fs.readFileSync(a).equals(fs.readFileSync(b))) drift.push(`${api.generated}/${name}: differs from the contract's output`);
      }
    }
    expect(drift).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
