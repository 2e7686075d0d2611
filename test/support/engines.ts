import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { rootDir } from '../../registry.ts';

/**
 * The real engines of the scale-out store, for tests: PostgreSQL, OpenStack Swift with its S3
 * layer, and nginx, all from Debian's packages (`.ci/run` installs them).
 *
 * - `sharedEngines()`: one PostgreSQL and one Swift for the whole `npm test` run. CI starts them
 *   in `.ci/run` and passes them in ATTACHKIT_TEST_DATABASE_URL / ATTACHKIT_TEST_S3_ENDPOINT; on a
 *   developer machine the first test that asks starts them (under a lock, shared by every vitest
 *   worker of the run) and `engines-teardown.ts` stops them when the run ends. Tests isolate
 *   themselves with `freshDatabase()` and `freshBucket()`.
 * - `privatePostgres()` / `privateSwift()`: an engine of the test's own, for tests that stop or
 *   restart it (others must not see that).
 * - `loadBalancer(upstreams)`: nginx round-robin in front of several `attachkit serve` instances.
 */

const run = promisify(execFile);
const enginesDir = path.join(rootDir, '.ci', 'engines');

export interface S3Endpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Engines {
  /** Superuser URL of the shared PostgreSQL (database `attachkit`). */
  databaseUrl: string;
  s3: S3Endpoint;
}

/** Swift's tempauth user of `.ci/engines/swift.sh`. */
const swiftCredentials = { region: 'us-east-1', accessKeyId: 'test:tester', secretAccessKey: 'testing' };

/** A Swift instance takes five consecutive ports: proxy, object, container, account, memcached. */
const swiftPorts = 5;

/** The vitest run this process belongs to (workers are forks of the main process). */
function runDir(): string {
  const owner = process.env.VITEST_WORKER_ID ? process.ppid : process.pid;
  return path.join(os.tmpdir(), `attachkit-engines-${owner}`);
}

let shared: Promise<Engines> | undefined;

export function sharedEngines(): Promise<Engines> {
  shared ??= fromEnvironment() ?? startShared();
  return shared;
}

function fromEnvironment(): Promise<Engines> | undefined {
  const databaseUrl = process.env.ATTACHKIT_TEST_DATABASE_URL;
  const endpoint = process.env.ATTACHKIT_TEST_S3_ENDPOINT;
  if (!databaseUrl || !endpoint) return undefined;
  return Promise.resolve({ databaseUrl, s3: { endpoint, ...swiftCredentials } });
}

async function startShared(): Promise<Engines> {
  const dir = runDir();
  fs.mkdirSync(dir, { recursive: true });
  const state = path.join(dir, 'engines.json');
  // `flock` serialises the workers of this run: the first starts the engines, the rest read them.
  // --close: the engines it starts must not inherit the lock, or it is held as long as they run.
  const script = `
    if [ ! -s "${state}" ]; then
      db=$("${enginesDir}/postgres.sh" start "${dir}/postgres" ${await freePortRange(1)}) || exit 1
      s3=$("${enginesDir}/swift.sh" start "${dir}/swift" ${await freePortRange(swiftPorts)}) || exit 1
      printf '{"databaseUrl":"%s","endpoint":"%s"}' "$db" "$s3" > "${state}.tmp" && mv "${state}.tmp" "${state}"
    fi
    cat "${state}"`;
  const { stdout } = await run('flock', ['--close', path.join(dir, 'lock'), 'bash', '-c', script], { timeout: 300_000 }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`could not start the test engines (PostgreSQL and Swift from Debian's packages; .ci/run installs them): ${error.stderr || error.message}`);
  });
  const { databaseUrl, endpoint } = JSON.parse(stdout) as { databaseUrl: string; endpoint: string };
  return { databaseUrl, s3: { endpoint, ...swiftCredentials } };
}

/** Stops the engines this run started (called once, by the global teardown). */
export async function stopSharedEngines(): Promise<void> {
  const dir = runDir();
  if (!fs.existsSync(dir)) return;
  await run(path.join(enginesDir, 'swift.sh'), ['stop', path.join(dir, 'swift')]).catch(() => undefined);
  await run(path.join(enginesDir, 'postgres.sh'), ['stop', path.join(dir, 'postgres')]).catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A new, empty database on the shared PostgreSQL; its URL. */
export async function freshDatabase(prefix = 'attachkit_test'): Promise<string> {
  const { databaseUrl } = await sharedEngines();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await psql(databaseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A bucket name no other test uses, on the shared Swift (created by the caller's S3 client or by attachkit). */
export function freshBucket(prefix = 'attachkit-test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Runs SQL as the URL's user through Debian's psql client. */
export async function psql(databaseUrl: string, sql: string): Promise<string> {
  const { stdout } = await run('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', databaseUrl, '-c', sql]);
  return stdout.trim();
}

export interface PrivateEngine {
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

export async function privatePostgres(): Promise<PrivateEngine & { databaseUrl: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-pg-'));
  const port = await freePortRange(1);
  const script = path.join(enginesDir, 'postgres.sh');
  const start = async () => (await run(script, ['start', dir, String(port)], { timeout: 120_000 })).stdout.trim();
  const databaseUrl = await start();
  const stop = async () => void (await run(script, ['stop', dir]));
  return { databaseUrl, stop, start: async () => void (await start()), destroy: async () => (await stop(), fs.rmSync(dir, { recursive: true, force: true })) };
}

export async function privateSwift(): Promise<PrivateEngine & { s3: S3Endpoint }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-swift-'));
  const port = await freePortRange(swiftPorts);
  const script = path.join(enginesDir, 'swift.sh');
  const start = async () => (await run(script, ['start', dir, String(port)], { timeout: 300_000 })).stdout.trim();
  const endpoint = await start();
  const stop = async () => void (await run(script, ['stop', dir]));
  return { s3: { endpoint, ...swiftCredentials }, stop, start: async () => void (await start()), destroy: async () => (await stop(), fs.rmSync(dir, { recursive: true, force: true })) };
}

export interface LoadBalancer {
  url: string;
  stop(): Promise<void>;
}

/**
 * nginx as a round-robin load balancer in front of `upstreams` (http://host:port), streaming both
 * ways (no request or response buffering, no body size limit), as a team would put it in front of
 * several `attachkit serve` instances.
 */
export async function loadBalancer(upstreams: string[]): Promise<LoadBalancer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-nginx-'));
  const port = await freePortRange(1);
  const servers = upstreams.map((u) => `    server ${new URL(u).host} max_fails=0;`).join('\n');
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream attachkit {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_http_version 1.1;
    location / {
      proxy_pass http://attachkit;
      proxy_set_header Host $http_host;
      proxy_set_header Connection "";
      proxy_next_upstream off;
    }
  }
}
`,
  );
  const { spawn } = await import('node:child_process');
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  await waitForPort(port, () => (child.exitCode !== null ? `nginx exited with ${child.exitCode}: ${stderr}` : undefined));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => (fs.rmSync(dir, { recursive: true, force: true }), resolve());
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGQUIT');
      }),
  };
}

async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const reason = failed();
    if (reason) throw new Error(reason);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port} after 10 s`);
}

/** `count` consecutive ports that were free a moment ago; returns the first. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(first + i)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
