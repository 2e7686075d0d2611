import path from 'node:path';
import { defineConfig, type UserConfig } from '@hey-api/openapi-ts';
import { apis, rootDir, specFile } from './registry.ts';
import { sdkHooks, zodResolvers } from './lib/generator/plugin-options.ts';
import { flattenServers } from './lib/openapi/flatten-servers.ts';
import { loadSpec } from './lib/openapi/load-spec.ts';
import { OperationIndex } from './lib/openapi/operation-index.ts';

/**
 * One generator job per API of the registry. Each job reads the flattened contract (every path
 * carries its base path), so a client configured with the site root as `baseUrl` reaches every
 * operation, including those on path-level servers that hey-api would otherwise ignore. The SDK and
 * zod plugins get options that make them follow the contract (lib/generator/plugin-options.ts);
 * each API's index exports its client and zod schemas too, so `attachkit/sdk/<id>` is one import.
 */
export function generatorConfigs(outputRoot: string = rootDir): UserConfig[] {
  return apis.map((api) => {
    const doc = flattenServers(loadSpec(specFile(api))).doc;
    doc.servers = [{ url: 'http://127.0.0.1:4010', description: 'Site root; the reference server by default.' }];
    return {
      input: { path: doc as Record<string, unknown> },
      output: { path: path.join(outputRoot, api.generated) },
      plugins: [
        '@hey-api/typescript',
        { name: '@hey-api/sdk', '~hooks': sdkHooks(new OperationIndex(doc)) },
        { name: '@hey-api/client-fetch', includeInEntry: true },
        { name: 'zod', includeInEntry: true, '~resolvers': zodResolvers },
      ],
    } as UserConfig;
  });
}

// ATTACHKIT_GENERATE_ROOT redirects the output (the drift test generates into a temp folder).
export default defineConfig(generatorConfigs(process.env.ATTACHKIT_GENERATE_ROOT || rootDir));
