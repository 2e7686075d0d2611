/**
 * The one table of APIs. The CLI, the reference server, the generator config and the conformance
 * suite all read it; adding an API means one entry here plus one folder per part
 * (openapi/<id>.yaml, generated/<id>/, server/apis/<id>/, conformance/apis/<id>/).
 *
 * This module must stay cheap to import (the generator config reads it), so the server and
 * conformance parts are loaded lazily.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerApi } from './server/kit/server-api.ts';
import type { ConformanceApi } from './conformance/kit/conformance-api.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * In the published package this module runs compiled, as dist/registry.js; in a clone it runs from
 * the sources. `rootDir` is the package root either way (contracts, README, package.json);
 * `codeDir` is where the running code lives (the root in a clone, dist/ in the package).
 */
const compiled = path.basename(here) === 'dist';
export const rootDir = compiled ? path.dirname(here) : here;
export const codeDir = here;

/**
 * A source file or glob relative to the root (`conformance/apis/x/*.test.ts`) as the running code
 * names it, relative to `codeDir`: unchanged in a clone, its compiled `.js` in the package.
 */
export function codeFile(relative: string): string {
  return compiled ? relative.replace(/\.ts$/, '.js') : relative;
}

export interface CredentialOption {
  /** CLI flag name, without dashes. */
  flag: string;
  /** Environment variable that overrides the development default on the reference server. */
  env: string;
  /** Development default: what `attachkit serve` accepts and `attachkit conformance` sends; none for tokens the server issues. */
  devDefault?: string;
  description: string;
  secret: boolean;
}

export interface ApiEntry {
  id: string;
  title: string;
  /** Repo-relative path of the hand-written contract. */
  spec: string;
  /** Repo-relative folder the generator writes to. */
  generated: string;
  /** The API's main base path under the site root; operations may add others via path-level servers. */
  basePath: string;
  /** Default port of `attachkit mock <id>`. */
  mockPort: number;
  /** Development credentials, read by the server (accept) and the conformance CLI (send). */
  credentials: CredentialOption[];
  server: () => Promise<ServerApi>;
  conformance: () => Promise<ConformanceApi>;
}

export const apis: readonly ApiEntry[] = [
  {
    id: 'espocrm',
    title: 'EspoCRM Attachment API',
    spec: 'openapi/espocrm.yaml',
    generated: 'generated/espocrm',
    basePath: '/api/v1',
    mockPort: 4011,
    credentials: [
      { flag: 'api-key', env: 'ESPOCRM_API_KEY', devDefault: 'espocrm-dev-key', description: 'X-Api-Key of an API user whose auth method is "API Key"', secret: true },
      { flag: 'hmac-api-key', env: 'ESPOCRM_HMAC_API_KEY', devDefault: 'espocrm-dev-hmac-key', description: 'API key of an API user whose auth method is "HMAC" (used with --secret-key)', secret: true },
      { flag: 'username', env: 'ESPOCRM_USERNAME', devDefault: 'admin', description: 'user name for Basic auth (used with --password instead of --api-key)', secret: false },
      { flag: 'password', env: 'ESPOCRM_PASSWORD', devDefault: 'espocrm-dev-password', description: 'password for Basic auth', secret: true },
      { flag: 'secret-key', env: 'ESPOCRM_SECRET_KEY', devDefault: 'espocrm-dev-secret', description: 'HMAC secret key of the HMAC API user (X-Hmac-Authorization)', secret: true },
    ],
    server: async () => (await import('./server/apis/espocrm/index.ts')).espocrm,
    conformance: async () => (await import('./conformance/apis/espocrm/index.ts')).espocrm,
  },
  {
    id: 'onlyoffice',
    title: 'ONLYOFFICE Workspace CRM files API',
    spec: 'openapi/onlyoffice.yaml',
    generated: 'generated/onlyoffice',
    basePath: '/api/2.0',
    mockPort: 4012,
    credentials: [
      { flag: 'username', env: 'ONLYOFFICE_USERNAME', devDefault: 'admin@example.com', description: 'user name (email) for POST /authentication', secret: false },
      { flag: 'password', env: 'ONLYOFFICE_PASSWORD', devDefault: 'onlyoffice-dev-password', description: 'password for POST /authentication', secret: true },
      { flag: 'token', env: 'ONLYOFFICE_TOKEN', description: 'an existing token, instead of --username/--password', secret: true },
    ],
    server: async () => (await import('./server/apis/onlyoffice/index.ts')).onlyoffice,
    conformance: async () => (await import('./conformance/apis/onlyoffice/index.ts')).onlyoffice,
  },
  {
    id: 'caseiq',
    title: 'Case IQ attachments API',
    spec: 'openapi/caseiq.yaml',
    generated: 'generated/caseiq',
    basePath: '/api-public/1.0',
    mockPort: 4013,
    credentials: [
      { flag: 'client-id', env: 'CASEIQ_CLIENT_ID', devDefault: 'caseiq-dev-client', description: 'service account client_id for POST /auth/oauth2/token', secret: false },
      { flag: 'client-secret', env: 'CASEIQ_CLIENT_SECRET', devDefault: 'caseiq-dev-secret', description: 'service account client_secret (apiKey0 or apiKey1)', secret: true },
      { flag: 'token', env: 'CASEIQ_TOKEN', description: 'an existing access token, instead of --client-id/--client-secret', secret: true },
    ],
    server: async () => (await import('./server/apis/caseiq/index.ts')).caseiq,
    conformance: async () => (await import('./conformance/apis/caseiq/index.ts')).caseiq,
  },
];

export function apiIds(): string[] {
  return apis.map((api) => api.id);
}

export function findApi(id: string): ApiEntry | undefined {
  return apis.find((api) => api.id === id);
}

export function specFile(api: ApiEntry): string {
  return path.join(rootDir, api.spec);
}

/** The credential an API accepts: environment override, else the development default. */
export function configuredCredential(api: ApiEntry, flag: string, env: NodeJS.ProcessEnv = process.env): string {
  const option = api.credentials.find((c) => c.flag === flag);
  if (!option) throw new Error(`${api.id} has no credential named ${flag}`);
  const value = env[option.env] ?? option.devDefault;
  if (value === undefined) throw new Error(`${api.id} credential ${flag} has no development default; set $${option.env}`);
  return value;
}
