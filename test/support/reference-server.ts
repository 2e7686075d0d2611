import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type AppOptions } from '../../server/app.ts';
import { openStore, type OpenStoreOptions } from '../../server/store/open-store.ts';
import type { Store } from '../../server/store/store.ts';
import { createHttpServer } from '../../server/kit/http-server.ts';
import type { StartupReport } from '../../server/kit/startup-check.ts';

export interface RunningServer {
  url: string;
  store: Store;
  server: Server;
  /** What the start-up check of the store found and repaired. */
  startup: StartupReport;
  close(): Promise<void>;
}

/** The reference server on port 0 with a throwaway store (or the given data dir / engines). */
export async function startReferenceServer(
  options: Partial<AppOptions> & { dataDir?: string } & Pick<OpenStoreOptions, 'databaseUrl' | 'blobUrl'> = {},
): Promise<RunningServer> {
  const store =
    options.store ??
    (await openStore({ dataDir: options.dataDir ?? '', inMemory: !options.dataDir, databaseUrl: options.databaseUrl, blobUrl: options.blobUrl }));
  const { app, config, startup } = await createApp({ ...options, store });
  const server = await new Promise<Server>((resolve) => {
    const s = createHttpServer(app, config).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    startup,
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
