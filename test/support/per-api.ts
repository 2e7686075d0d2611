import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rootDir } from '../../registry.ts';

/**
 * A per-API test fixture, `test/<id>/<file>`, by the registry's id: generic tests name no API and
 * each API keeps its own fixtures in its own folder. Undefined when the API has none (`optional`).
 */
export async function perApiFixture<T>(id: string, file: string, exportName: string, options: { optional?: boolean } = {}): Promise<T | undefined> {
  const full = path.join(rootDir, 'test', id, file);
  if (options.optional && !fs.existsSync(full)) return undefined;
  const module = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
  if (module[exportName] === undefined) throw new Error(`test/${id}/${file} must export ${exportName}`);
  return module[exportName] as T;
}
