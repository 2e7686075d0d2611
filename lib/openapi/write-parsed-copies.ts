/**
 * `npm run build` step: writes each contract of the registry, parsed, where the compiled
 * loadSpec looks first (dist/openapi/<name>.json), stamped with the YAML's sha256.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { apis, specFile } from '../../registry.ts';
import { parsedCopy, sourceDigest } from './load-spec.ts';

for (const api of apis) {
  const text = fs.readFileSync(specFile(api), 'utf8');
  const target = parsedCopy(specFile(api));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify({ sha256: sourceDigest(text), doc: YAML.parse(text) }));
}
