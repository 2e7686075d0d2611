import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { apis, rootDir, type ApiEntry } from '../registry.ts';

/**
 * One registry, truly: adding an API is one entry in registry.ts plus that API's own places, so
 * no other file may name an API id (the CLI, the kits, generic tests, the benchmark, CI …).
 * Allowed: registry.ts, the docs (*.md), and each API's own places.
 */
function ownPlaces(api: ApiEntry): string[] {
  return [api.spec, `${api.generated}/`, `server/apis/${api.id}/`, `conformance/apis/${api.id}/`, `test/${api.id}/`];
}

function projectFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: rootDir, encoding: 'utf8' });
  return listed.split('\0').filter((file) => file && fs.existsSync(path.join(rootDir, file)));
}

export function apiIdsNamedOutsideTheirPlaces(files: string[], read: (file: string) => string): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (file === 'registry.ts' || file.endsWith('.md')) continue;
    const content = read(file);
    if (content.includes('\0')) continue; // binary
    for (const api of apis) {
      if (ownPlaces(api).some((place) => file === place || file.startsWith(place))) continue;
      const id = new RegExp(`\\b${api.id}\\b`);
      content.split('\n').forEach((line, i) => {
        if (id.test(line)) found.push(`${file}:${i + 1}: names '${api.id}': ${line.trim().slice(0, 120)}`);
      });
    }
  }
  return found;
}

test('no file outside an API’s own folders names an API id (registry.ts and the docs excepted)', () => {
  const found = apiIdsNamedOutsideTheirPlaces(projectFiles(), (file) => fs.readFileSync(path.join(rootDir, file), 'utf8'));
  expect(found).toEqual([]);
});

test('the check finds an id named outside its places, and not inside them', () => {
  const [first, second] = apis;
  const files: Record<string, string> = {
    'cli/some-command.ts': `const api = findApi('${first.id}');`,
    [`test/${first.id}/fixture.ts`]: `export const id = '${first.id}';`,
    [`test/${first.id}/other.ts`]: second ? `import { x } from '../${second.id}/x.ts';` : '',
    'README.md': first.id,
  };
  const found = apiIdsNamedOutsideTheirPlaces(Object.keys(files), (file) => files[file]);
  expect(found).toEqual([`cli/some-command.ts:1: names '${first.id}': ${files['cli/some-command.ts']}`, ...(second ? [`test/${first.id}/other.ts:1: names '${second.id}': ${files[`test/${first.id}/other.ts`]}`] : [])]);
});
