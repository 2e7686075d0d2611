import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { apis, rootDir, type ApiEntry } from '../registry.ts';

/**
 * One registry, truly: adding an API is one entry in registry.ts plus that API's own places, so
 * no other file may name an API id (the CLI, the kits, generic tests, the benchmark, CI …), nor
 * build an identifier from its vendor's name (a function `bench<Vendor>Upload`, a `<vendor>Rows`).
 * Allowed: registry.ts, the docs (*.md), and each API's own places. The vendor's name in prose
 * stays allowed: generic code's comments cite vendor facts ("as Case IQ requires") to say why.
 */
function ownPlaces(api: ApiEntry): string[] {
  return [api.spec, `${api.generated}/`, `server/apis/${api.id}/`, `conformance/apis/${api.id}/`, `test/${api.id}/`];
}

function projectFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: rootDir, encoding: 'utf8' });
  return listed.split('\0').filter((file) => file && fs.existsSync(path.join(rootDir, file)));
}

/** Words of a title that are not the vendor's name. */
const genericTitleWords = /^(attachments?|files?|api|workspace|crm)$/i;

/** The vendor's name in an API's title: the words before the generic ones ('EspoCRM', 'Case IQ'). */
export function vendorName(title: string): string {
  const words = title.split(/\s+/);
  const end = words.findIndex((word) => genericTitleWords.test(word));
  return words.slice(0, end === -1 ? words.length : end).join(' ');
}

/** camelCase, PascalCase, SNAKE_CASE and digits split into their parts: benchXyzJsonUpload → bench Xyz Json Upload. */
function identifierParts(token: string): string[] {
  return token.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [];
}

/**
 * How an identifier may spell the vendor (lower case): the whole name without spaces, and the head
 * of a one-word camelCase name ('xyz' of XyzCRM; not the first word of a two-word name, a word of
 * its own).
 */
function vendorStems(vendor: string): string[] {
  const stems = [vendor.replace(/\s+/g, '').toLowerCase()];
  for (const word of vendor.split(/\s+/)) {
    const [head, ...rest] = identifierParts(word);
    if (rest.length && head.length >= 4) stems.push(head.toLowerCase());
  }
  return stems;
}

/**
 * An identifier built from the vendor's name: a stem plus other parts (`xyzRows`), or a stem alone
 * spelled unlike the title (`xyz` or `xyzCrm` for XyzCRM; `XyzCRM` and `Xyz-Authorization` are prose
 * and header names, the bare id is the id check's).
 */
function vendorIdentifier(token: string, api: ApiEntry, stems: string[]): boolean {
  if (token === api.id) return false;
  const parts = identifierParts(token).map((part) => part.toLowerCase());
  for (const stem of stems) {
    for (let from = 0; from < parts.length; from++) {
      let joined = '';
      for (let to = from; to < parts.length && joined.length < stem.length; to++) {
        joined += parts[to];
        if (joined !== stem) continue;
        if (to - from + 1 < parts.length) return true;
        const titleSpellings = vendorName(api.title).split(/\s+/).flatMap((word) => [word, ...identifierParts(word)]);
        return !titleSpellings.includes(token);
      }
    }
  }
  return false;
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
      const stems = vendorStems(vendorName(api.title));
      content.split('\n').forEach((line, i) => {
        if (id.test(line)) found.push(`${file}:${i + 1}: names '${api.id}': ${line.trim().slice(0, 120)}`);
        for (const token of line.match(/[A-Za-z_$][\w$]*/g) ?? []) {
          if (vendorIdentifier(token, api, stems)) found.push(`${file}:${i + 1}: identifier '${token}' names ${vendorName(api.title)}: ${line.trim().slice(0, 120)}`);
        }
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

test('the check finds an identifier built from a vendor’s name outside its places, and not the name in prose', () => {
  const files: Record<string, string> = {};
  const expected: string[] = [];
  for (const api of apis) {
    const vendor = vendorName(api.title);
    const joined = vendor.replace(/\s+/g, '');
    const file = `bench/${api.title.length}-${expected.length}.ts`;
    files[file] = [`// the upload as ${vendor} requires it`, `export function bench${joined}Upload() {}`, `const ${joined.toLowerCase()}Rows = [];`].join('\n');
    expected.push(`${file}:2: identifier 'bench${joined}Upload' names ${vendor}: ${files[file].split('\n')[1]}`, `${file}:3: identifier '${joined.toLowerCase()}Rows' names ${vendor}: ${files[file].split('\n')[2]}`);
    // The head of a one-word camelCase vendor name (Xyz of XyzCRM) names it too, alone in lower case.
    const [head, ...rest] = vendor.includes(' ') ? [] : (vendor.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []);
    if (head && rest.length && head.length >= 4) {
      files[`${file}x`] = `const ${head.toLowerCase()} = ${head.toLowerCase()}Upload; // ${head}-Authorization`;
      expected.push(`${file}x:1: identifier '${head.toLowerCase()}' names ${vendor}: ${files[`${file}x`]}`, `${file}x:1: identifier '${head.toLowerCase()}Upload' names ${vendor}: ${files[`${file}x`]}`);
    }
    files[`test/${api.id}/own.ts`] = `export const ${joined.toLowerCase()}Rows = [];`;
  }
  files['server/kit/generic.ts'] = 'const caseId = testCase.onlyFiles; // response, responses';
  expect(apiIdsNamedOutsideTheirPlaces(Object.keys(files), (file) => files[file])).toEqual(expected);
});
