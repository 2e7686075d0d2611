import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { OpenApiDocument } from './types.ts';

const cache = new Map<string, OpenApiDocument>();

/**
 * Where the package build puts parsed copies of the contracts (dist/openapi/<name>.json, written
 * by `npm run build`): parsing the YAML took half a second of `attachkit serve`'s start-up.
 * From the sources (a clone) this folder is openapi/ itself, which holds no such copies.
 */
const parsedDir = new URL('../../openapi/', import.meta.url);

/**
 * `dir` as a file path, not `URL.pathname`: that is percent-encoded (a space is `%20`) and on
 * Windows starts `/C:/`, so under such a folder the copies were written and looked for elsewhere.
 */
export function parsedCopy(file: string, dir: URL = parsedDir): string {
  return path.join(fileURLToPath(dir), `${path.basename(file).replace(/\.ya?ml$/, '')}.json`);
}

export function sourceDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The parsed copy when it was made from exactly this YAML (the user may have edited it since). */
function readParsedCopy(file: string, text: string): OpenApiDocument | undefined {
  let copy: { sha256: string; doc: OpenApiDocument };
  try {
    copy = JSON.parse(fs.readFileSync(parsedCopy(file), 'utf8'));
  } catch {
    return undefined;
  }
  return copy.sha256 === sourceDigest(text) ? copy.doc : undefined;
}

/**
 * Parses a contract once per process. Callers get a deep copy because EOV and Prism-bound
 * transforms mutate the document they are handed.
 */
export function loadSpec(file: string): OpenApiDocument {
  let doc = cache.get(file);
  if (!doc) {
    const text = fs.readFileSync(file, 'utf8');
    doc = readParsedCopy(file, text) ?? (YAML.parse(text) as OpenApiDocument);
    if (!doc || typeof doc !== 'object' || !String(doc.openapi ?? '').startsWith('3.')) {
      throw new Error(`${file} is not an OpenAPI 3 document`);
    }
    cache.set(file, doc);
  }
  return structuredClone(doc);
}
