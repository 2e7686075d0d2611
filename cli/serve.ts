import type { AddressInfo } from 'node:net';
import { apiIds, apis } from '../registry.ts';
import { buildServer } from '../server/create-server.ts';
import { parseCorsOrigins } from '../server/kit/cors.ts';
import { openStore, StoreUrlError } from '../server/store/open-store.ts';
import { isStoreUnavailable } from '../server/store/unavailable.ts';
import { parseDuration } from './duration.ts';
import { startupReportLines } from '../server/kit/startup-check.ts';
import { DamagedStoreError } from '../server/store/record-store.ts';
import { helpText, parseOptions, UsageError, type OptionSpec } from './options.ts';
import { onStop } from './stop-signals.ts';

const specs: OptionSpec[] = [
  { name: 'port', type: 'string', default: '4010', description: 'TCP port to listen on (0 picks a free one)' },
  { name: 'host', type: 'string', default: '127.0.0.1', description: 'interface to bind' },
  { name: 'data-dir', type: 'string', default: './.attachkit-data', valueName: 'DIR', description: 'folder of the embedded store (SQLite records + file contents); survives restarts' },
  { name: 'in-memory', type: 'boolean', description: 'throwaway store: nothing is written under --data-dir' },
  {
    name: 'database-url',
    type: 'string',
    valueName: 'URL',
    defaultLabel: '$ATTACHKIT_DATABASE_URL, else SQLite in --data-dir',
    description: 'postgres://USER:PASSWORD@HOST:PORT/DB: records in PostgreSQL, shared by every instance given the same URL',
  },
  {
    name: 'blob-url',
    type: 'string',
    valueName: 'URL',
    defaultLabel: '$ATTACHKIT_BLOB_URL, else files in --data-dir',
    description:
      'file contents in s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; the bucket is created if missing) or file://DIR (a shared file system)',
  },
  {
    name: 'sweep-grace',
    type: 'string',
    valueName: 'DURATION',
    default: '15m',
    description:
      'with --database-url or --blob-url (several instances): start-up removes unclaimed files and interrupted uploads only when older than this, since another instance may be about to claim them',
  },
  {
    name: 'workspace-ttl',
    type: 'string',
    valueName: 'DURATION',
    defaultLabel: '$ATTACHKIT_WORKSPACE_TTL, else off',
    description: 'remove /ws/<name>/ workspaces unused this long (30m, 12h, 7d; at least 1m), with their records and files; the default workspace stays',
  },
  { name: 'api', type: 'string', multiple: true, defaultLabel: `all: ${apiIds().join(', ')}`, valueName: 'ID', description: 'serve only this API' },
  { name: 'max-file-mb', type: 'string', default: '256', valueName: 'MB', description: "largest accepted file (EspoCRM's attachmentUploadMaxSize default)" },
  { name: 'headers-timeout', type: 'string', default: '20', valueName: 'SECONDS', description: 'time a client has to send the request line and headers (answered 408)' },
  { name: 'request-timeout', type: 'string', default: '600', valueName: 'SECONDS', description: 'time a client has to send a whole request, body included (answered in the API\'s dialect; 0: no limit)' },
  { name: 'idle-timeout', type: 'string', default: '60', valueName: 'SECONDS', description: 'a connection with no traffic either way for this long is closed (0: never)' },
  { name: 'cors-origin', type: 'string', default: '*', valueName: 'ORIGINS', description: "origins browser apps may call from: '*' for any, comma-separated origins, or 'none'" },
  { name: 'no-response-validation', type: 'boolean', description: 'skip validating JSON responses against the contract' },
  {
    name: 'strict',
    type: 'boolean',
    description:
      "refuse, in the API's dialect, requests that depart from the contract even where the vendor accepts them; when off, they are answered as the vendor would, with an X-Attachkit-Violations header and a log line",
  },
  { name: 'fault', type: 'string', multiple: true, valueName: 'API.FAULT', description: 'switch on a deliberate contract violation (mutation testing only; see --list-faults)' },
  { name: 'list-faults', type: 'boolean', description: 'print every API\'s faults and exit' },
];

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, specs);
  if (values.help) {
    console.log(helpText('attachkit serve [options]', 'Starts the reference server for the APIs of the registry on one port, each under its base path.', specs));
    return 0;
  }
  if (values['list-faults']) {
    for (const entry of apis) {
      const api = await entry.server();
      console.log(`${entry.id}:`);
      for (const fault of api.faults) console.log(`  ${entry.id}.${fault.id.padEnd(32)} ${fault.description}`);
    }
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got '${values.port}'`);
  const maxFileMb = Number(values['max-file-mb']);
  if (!(maxFileMb > 0)) throw new UsageError(`--max-file-mb must be a positive number, got '${values['max-file-mb']}'`);
  const seconds = (name: string, allowZero: boolean) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds, got '${values[name]}'`);
    return Math.round(value * 1000);
  };
  const timeouts = { headersTimeoutMs: seconds('headers-timeout', false), requestTimeoutMs: seconds('request-timeout', true), idleTimeoutMs: seconds('idle-timeout', true) };
  const selected = (values.api as string[] | undefined)?.flatMap((a) => a.split(','));
  const unknown = selected?.filter((id) => !apiIds().includes(id)) ?? [];
  if (unknown.length) throw new UsageError(`unknown API '${unknown[0]}'; known: ${apiIds().join(', ')}`);

  let corsOrigins;
  try {
    corsOrigins = parseCorsOrigins(String(values['cors-origin']));
  } catch (error) {
    throw new UsageError(`--cors-origin: ${(error as Error).message}`);
  }

  const env = process.env;
  const databaseUrl = (values['database-url'] as string | undefined) ?? (env.ATTACHKIT_DATABASE_URL || undefined);
  const blobUrl = (values['blob-url'] as string | undefined) ?? (env.ATTACHKIT_BLOB_URL || undefined);
  const ttlText = (values['workspace-ttl'] as string | undefined) ?? (env.ATTACHKIT_WORKSPACE_TTL || undefined);
  const workspaceTtlMs = ttlText === undefined ? undefined : parseDuration(ttlText, '--workspace-ttl');
  if (workspaceTtlMs !== undefined && workspaceTtlMs < 60_000) throw new UsageError(`--workspace-ttl must be at least 1m, got '${ttlText}'`);
  const sweepGraceMs = parseDuration(String(values['sweep-grace']), '--sweep-grace');
  const store = await openStore({ dataDir: String(values['data-dir']), inMemory: Boolean(values['in-memory']), databaseUrl, blobUrl, env, sweepGraceMs }).catch((error: unknown) => {
    // Bad URLs and engines that cannot be reached are usage problems to fix (exit 2, one line).
    if (error instanceof DamagedStoreError || error instanceof StoreUrlError) throw new UsageError(error.message);
    throw new UsageError(`cannot open the store: ${(error as Error).message}`);
  });
  let built;
  try {
    built = await buildServer({
      store,
      apis: selected,
      faults: values.fault as string[] | undefined,
      corsOrigins,
      config: { maxFileBytes: Math.floor(maxFileMb * 1024 * 1024), validateResponses: !values['no-response-validation'], strict: Boolean(values.strict), ...timeouts },
      workspaceTtlMs,
    });
  } catch (error) {
    const message = (error as Error).message;
    throw new UsageError(isStoreUnavailable(error) ? `cannot reach the store (${store.description}): ${message}` : message);
  }
  const { server } = built;
  server.listen(port, String(values.host));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await store.close();
    throw new UsageError(error.code === 'EADDRINUSE' ? `port ${port} is already in use (try --port)` : error.message);
  });
  const { port: bound } = server.address() as AddressInfo;
  const site = `http://${values.host}:${bound}`;
  const mode = values.strict ? 'strict: requests outside the contract are refused' : 'vendor-lenient: requests outside the contract that the vendor accepts get a warning header; --strict refuses them';
  const lines = [`attachkit reference server on ${site}  (store: ${store.description}; ${mode})`];
  for (const m of built.mounted) {
    lines.push('', `  ${m.entry.title}: ${site}${m.entry.basePath}`, ...m.api.banner(m.ctx).map((l) => `    ${l}`));
    if (m.ctx.faults.size) lines.push(`    FAULTS ON: ${[...m.ctx.faults].join(', ')}`);
  }
  const repairs = startupReportLines(built.startup);
  if (repairs.length) lines.push('', ...repairs);
  if (workspaceTtlMs !== undefined) lines.push('', `  Workspaces unused for ${ttlText} are removed (checked every ${Math.round(Math.min(workspaceTtlMs / 4, 600_000) / 1000)} s).`);
  console.log(lines.join('\n'));
  const stopExpiry = built.workspaces.startExpiry((error) => console.error(`attachkit: removing idle workspaces failed: ${error.message}`));

  return new Promise<number>((resolve) => {
    onStop(() => {
      stopExpiry();
      server.close();
      void built.closed.then(() => resolve(0));
      server.closeAllConnections();
    });
  });
}
