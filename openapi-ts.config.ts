import path from 'node:path';
import { defineConfig, type UserConfig } from '@hey-api/openapi-ts';
import { apis, rootDir, specFile } from './registry.ts';
import { flattenServers } from './lib/openapi/flatten-servers.ts';
import { loadSpec } from './lib/openapi/load-spec.ts';

/**
 * One generator job per API of the registry. Each job reads the flattened contract (every path
 * carries its base path), so a client configured with the site root as `baseUrl` reaches every
 * operation, including those on path-level servers that hey-api would otherwise ignore.
 */
export function generatorConfigs(outputRoot: string = rootDir): UserConfig[] {
  return apis.map((api) => {
    const doc = flattenServers(loadSpec(specFile(api))).doc;
    doc.servers = [{ url: 'http://127.0.0.1:4010', description: 'Site root; the reference server by default.' }];
    return {
      input: { path: doc as Record<string, unknown> },
      output: { path: path.join(outputRoot, api.generated) },
      plugins: ['@hey-api/typescript', '@hey-api/sdk', '@hey-api/client-fetch', 'zod'],
    } as UserConfig;
  });
}

// ATTACHKIT_GENERATE_ROOT redirects the output (the drift test generates into a temp folder).
export default defineConfig(generatorConfigs(process.env.ATTACHKIT_GENERATE_ROOT || rootDir));
