/**
 * attachkit's programmatic API (the package's main export):
 * - `createServer(options)`: the reference server as an http.Server the caller listens on and closes;
 * - `runConformance(api, options)`: the conformance suite against a deployment, resolving to its report;
 * - the registry of APIs (`apis`, `findApi`, `apiIds`) with each contract's path (`specFile`).
 * The generated SDKs are exported per API as `attachkit/sdk/<id>`.
 */
export { apis, apiIds, findApi, specFile, type ApiEntry, type CredentialOption } from './registry.ts';
export { createServer, type ServerOptions } from './server/create-server.ts';
export { runConformance, type ConformanceOptions } from './conformance/kit/embedded-run.ts';
export type { ConformanceReport } from './conformance/kit/report.ts';
export { UsageError } from './lib/options.ts';
export type { CorsOrigins } from './server/kit/cors.ts';
export type { ServerConfig } from './server/kit/server-config.ts';
