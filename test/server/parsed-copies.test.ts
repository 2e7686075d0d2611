import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { parsedCopy } from '../../lib/openapi/load-spec.ts';

test('the parsed copy of a contract is in the folder itself when its path holds a space or non-ASCII letters', () => {
  const folder = path.resolve('/tmp/attachkit test/Übersicht/openapi');
  // The trailing separator makes the URL a folder, as `new URL('../../openapi/', import.meta.url)` is.
  const dir = pathToFileURL(folder + path.sep);
  expect(parsedCopy('openapi/some-api.yaml', dir)).toBe(path.join(folder, 'some-api.json'));
});
