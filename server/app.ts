import express, { type Request, type Response } from 'express';
import { apis, configuredCredential, specFile, type ApiEntry } from '../registry.ts';
import { loadSpec } from '../lib/openapi/load-spec.ts';
import { flattenServers } from '../lib/openapi/flatten-servers.ts';
import { OperationIndex } from '../lib/openapi/operation-index.ts';
import { corsMiddleware, exposedHeaders, type CorsOrigins } from './kit/cors.ts';
import { createApiApp } from './kit/mount-api.ts';
import { checkAndRepairStore, type StartupReport } from './kit/startup-check.ts';
import { defaultServerConfig, type ServerConfig } from './kit/server-config.ts';
import type { ApiContext, ServerApi } from './kit/server-api.ts';
import { routeWorkspace, workspaceRouteOf } from './kit/workspace-route.ts';
import { Workspaces } from './kit/workspaces.ts';
import type { Store } from './store/store.ts';
import { defaultWorkspace, type Workspace } from './store/workspace.ts';

export interface AppOptions {
  store: Store;
  config?: Partial<ServerConfig>;
  /** API ids to serve; default all of the registry. */
  apis?: string[];
  /** Faults to switch on, as `<api>.<fault-id>`; for mutation testing only. */
  faults?: string[];
  /** Origins browser apps may call from (CORS); default any. */
  corsOrigins?: CorsOrigins;
  /** `--workspace-ttl`: how long a workspace may stay unused before `workspaces.removeIdle` removes it. */
  workspaceTtlMs?: number;
}

export interface MountedApi {
  entry: ApiEntry;
  api: ServerApi;
  ctx: ApiContext;
  mounts: string[];
}

export interface AttachkitApp {
  app: express.Express;
  mounted: MountedApi[];
  workspaces: Workspaces;
  /** The configuration the app runs with (defaults filled in), for createHttpServer. */
  config: ServerConfig;
  /** What the start-up check of the store found and repaired. */
  startup: StartupReport;
}

/** Builds the reference server. Never listens: the CLI (or a test, on port 0) does. */
export async function createApp(options: AppOptions): Promise<AttachkitApp> {
  const config: ServerConfig = { ...defaultServerConfig, ...options.config };
  // A damaged database stops the start here, before migrations or seeds read it.
  await options.store.assertEngineSound();
  const wanted = options.apis ?? apis.map((a) => a.id);
  const faults = new Set(options.faults ?? []);
  const app = express();
  app.disable('x-powered-by');
  // `/ws/<name>/…` selects a workspace; everything after sees the paths without the prefix.
  app.use(routeWorkspace);
  const mounted: MountedApi[] = [];
  const workspaces = new Workspaces(options.store, {
    seed: async (ws: Workspace) => {
      for (const m of mounted) await m.api.seed?.(ws, m.ctx);
    },
    apis: () => mounted.map((m) => ({ id: m.entry.id, tables: m.api.workspaceTables })),
    ttlMs: options.workspaceTtlMs,
  });

  const selected = apis.filter((a) => wanted.includes(a.id)).map((entry) => {
    const source = loadSpec(specFile(entry));
    return { entry, source, contract: new OperationIndex(source) };
  });
  app.use(corsMiddleware(options.corsOrigins ?? '*', exposedHeaders(selected.map((s) => s.contract))));

  for (const { entry, source, contract } of selected) {
    const api = await entry.server();
    const { doc, mounts } = flattenServers(source);
    const known = new Set(api.faults.map((f) => `${entry.id}.${f.id}`));
    const apiFaults = new Set([...faults].filter((f) => known.has(f)).map((f) => f.slice(entry.id.length + 1)));
    const ctx: ApiContext = {
      api: entry.id,
      contract,
      store: options.store,
      workspaces,
      // A faulty API models a broken CRM, which does not check its answers against our contract.
      config: apiFaults.size ? { ...config, validateResponses: false } : config,
      faults: apiFaults,
      credential: (flag) => configuredCredential(entry, flag, config.env),
      siteUrl: (req: Request) => `${req.protocol}://${req.get('host')}${workspaceRouteOf(req.res!).prefix}`,
    };
    app.use(mounts, createApiApp(api, ctx, doc));
    mounted.push({ entry, api, ctx, mounts });
  }
  // Once for every API: each call checks the layout and takes the migration lock (on PostgreSQL
  // a transaction with an advisory lock). Nothing listens yet, so no request sees a missing table.
  await options.store.migrate(mounted.flatMap((m) => m.api.migrations));

  const unknownFaults = [...faults].filter((f) => !mounted.some((m) => f.startsWith(`${m.entry.id}.`) && m.ctx.faults.has(f.slice(m.entry.id.length + 1))));
  if (unknownFaults.length) throw new Error(`unknown fault(s): ${unknownFaults.join(', ')}`);

  app.get('/', function listApis(req: Request, res: Response) {
    const site = `${req.protocol}://${req.get('host')}${workspaceRouteOf(res).prefix}`;
    res.json({ name: 'attachkit reference server', apis: mounted.map((m) => ({ id: m.entry.id, title: m.entry.title, baseUrl: site + m.entry.basePath })) });
  });
  app.use(function unknownRoute(req: Request, res: Response) {
    res.status(404).json({ message: `No API is mounted at ${req.path}. GET / lists them.` });
  });

  // The default workspace is seeded before the first request, as the banner promises.
  await workspaces.open(defaultWorkspace);
  const startup = await checkAndRepairStore(
    options.store,
    mounted.map((m) => ({ id: m.entry.id, api: m.api })),
  );
  return { app, mounted, workspaces, config, startup };
}
