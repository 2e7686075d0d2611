import type http from 'node:http';
import { createApp, type MountedApi } from './app.ts';
import type { CorsOrigins } from './kit/cors.ts';
import { createHttpServer } from './kit/http-server.ts';
import type { ServerConfig } from './kit/server-config.ts';
import type { StartupReport } from './kit/startup-check.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import type { Workspaces } from './kit/workspaces.ts';

export interface ServerOptions {
  /** API ids to serve (see `apis` of the registry); default all. */
  apis?: string[];
  /** Folder of the embedded store (SQLite records + file contents), kept across restarts. Default: a throwaway store removed on close. */
  dataDir?: string;
  /** A store opened by the caller (e.g. on PostgreSQL); it is closed with the server. Overrides dataDir. */
  store?: Store;
  /** Origins browser apps may call from: `'*'` (default, any origin), a list of origins, or `[]` for no CORS. */
  corsOrigins?: CorsOrigins;
  /** Largest accepted file in bytes (default 256 MiB), response validation (default on), strict mode, timeouts, credentials' environment. */
  config?: Partial<ServerConfig>;
  /** Deliberate contract violations, as `<api>.<fault>` (mutation testing; `attachkit serve --list-faults`). */
  faults?: string[];
  /** Workspaces (`/ws/<name>/`) unused this long are removed by `workspaces.removeIdle` / `startExpiry` (default: never). */
  workspaceTtlMs?: number;
}

export interface BuiltServer {
  server: http.Server;
  store: Store;
  mounted: MountedApi[];
  /** What the start-up check of the store found and repaired. */
  startup: StartupReport;
  /** The server's workspaces: `startExpiry()` removes idle ones when a TTL was given. */
  workspaces: Workspaces;
  /** Resolves when the server has closed and its store with it. */
  closed: Promise<void>;
}

/**
 * The reference server as an http.Server that is not listening yet: the caller listens (port 0
 * picks a free port) and closes it; closing it also closes the store (and removes a throwaway one).
 */
export async function buildServer(options: ServerOptions = {}): Promise<BuiltServer> {
  const store = options.store ?? (await openStore({ dataDir: options.dataDir ?? '', inMemory: options.dataDir === undefined }));
  try {
    const { app, mounted, config, startup, workspaces } = await createApp({
      store,
      apis: options.apis,
      faults: options.faults,
      config: options.config,
      corsOrigins: options.corsOrigins,
      workspaceTtlMs: options.workspaceTtlMs,
    });
    const server = createHttpServer(app, config);
    const closed = new Promise<void>((resolve) => server.once('close', () => void store.close().then(resolve, resolve)));
    return { server, store, mounted, startup, workspaces, closed };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The programmatic entry: `const server = await createServer(); server.listen(0)`, later `server.close()`. */
export async function createServer(options: ServerOptions = {}): Promise<http.Server> {
  return (await buildServer(options)).server;
}
