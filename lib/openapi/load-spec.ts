import fs from 'node:fs';
import YAML from 'yaml';
import type { OpenApiDocument } from './types.ts';

const cache = new Map<string, OpenApiDocument>();

/**
 * Parses a contract once per process. Callers get a deep copy because EOV and Prism-bound
 * transforms mutate the document they are handed.
 */
export function loadSpec(file: string): OpenApiDocument {
  let doc = cache.get(file);
  if (!doc) {
    doc = YAML.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument;
    if (!doc || typeof doc !== 'object' || !String(doc.openapi ?? '').startsWith('3.')) {
      throw new Error(`${file} is not an OpenAPI 3 document`);
    }
    cache.set(file, doc);
  }
  return structuredClone(doc);
}
