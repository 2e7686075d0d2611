import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type AppOptions } from '../../server/app.ts';
import { openStore, type OpenStoreOptions } from '../../server/store/open-store.ts';
import type { Workspaces } from '../../server/kit/workspaces.ts';
import type { Store } from '../../server/store/store.ts';
import { createHttpServer } from '../../server/kit/http-server.ts';
import type { StartupReport } from '../../server/kit/startup-check.ts';
import { sharedStoreFor, sharedStoreMode } from './test-store.ts';

export interface RunningServer {
  url: string;
  store: Store;
  workspaces: Workspaces;
  server: Server;
  /** What the start-up check of the store found and repaired. */
  startup: StartupReport;
  close(): Promise<void>;
}

/**
 * The reference server on port 0 with a throwaway store (or the given data dir / engines). In a
 * shared-store run (test-store.ts) the store is PostgreSQL + S3: a fresh database and bucket,
 * or the ones the data dir stands for.
 */
export async function startReferenceServer(
  options: Partial<AppOptions> & { dataDir?: string } & Pick<OpenStoreOptions, 'databaseUrl' | 'blobUrl' | 'env' | 'sweepGraceMs'> = {},
): Promise<RunningServer> {
  const engines = !options.databaseUrl && !options.blobUrl && sharedStoreMode() ? await sharedStoreFor(options.dataDir) : undefined;
  const store =
    options.store ??
    (await openStore({
      dataDir: options.dataDir ?? '',
      inMemory: !options.dataDir,
      databaseUrl: options.databaseUrl ?? engines?.databaseUrl,
      blobUrl: options.blobUrl ?? engines?.blobUrl,
      env: { ...process.env, ...engines?.env, ...options.env },
      // One server per store here: whatever it did not claim at start is an orphan.
      sweepGraceMs: options.sweepGraceMs ?? 0,
    }));
  const { app, config, startup, workspaces } = await createApp({ ...options, store });
  const server = await new Promise<Server>((resolve) => {
    const s = createHttpServer(app, config).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    startup,
    workspaces,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          void store.close().then(() => resolve());
        });
        server.closeAllConnections();
      }),
  };
}
