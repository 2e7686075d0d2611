import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { apiIds, findApi, specFile, type ApiEntry } from '../registry.ts';
import { flattenServers } from '../lib/openapi/flatten-servers.ts';
import { loadSpec } from '../lib/openapi/load-spec.ts';
import { helpText, parseOptions, UsageError, type OptionSpec } from './options.ts';
import { onStop } from './stop-signals.ts';

const specs: OptionSpec[] = [
  { name: 'port', type: 'string', defaultLabel: `the API's mock port: ${apiIds().map((id) => `${id} ${findApi(id)!.mockPort}`).join(', ')}`, description: 'TCP port Prism listens on' },
  { name: 'host', type: 'string', default: '127.0.0.1', description: 'interface to bind' },
  { name: 'dynamic', type: 'boolean', description: "generate responses from the schemas instead of serving the named examples (Prism's --dynamic)" },
];

export interface RunningMock {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Prism ignores the path of `servers` and serves every path at its root. It gets the flattened
 * contract instead (each path prefixed with its base path), so a client reaches the mock at the
 * same URLs as the real CRM: http://127.0.0.1:4011/api/v1/Attachment/… and the conformance
 * suite's --base-url works unchanged.
 */
export async function startMock(
  entry: ApiEntry,
  options: { port: number; host: string; dynamic?: boolean; log?: NodeJS.WritableStream; /** Prism's validation proxy to this site instead of a mock. */ upstream?: string },
): Promise<RunningMock> {
  const contract = writeFlattenedContract(entry);
  const child = spawn(process.execPath, prismArgs(contract.file, options), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('exit', () => contract.remove());

  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      options.log?.write(text);
      seen += text;
      const m = /Prism is listening on (http:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1].replace(/\/+$/, ''));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Prism exited with code ${code} before listening:\n${seen.slice(-2000)}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The flattened contract in a temp file, for Prism. */
export function writeFlattenedContract(entry: ApiEntry): { file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `attachkit-mock-${entry.id}-`));
  const file = path.join(dir, `${entry.id}.json`);
  fs.writeFileSync(file, JSON.stringify(flattenServers(loadSpec(specFile(entry))).doc));
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Node arguments that run Prism's mock (or its validation proxy to `upstream`) on a contract file. */
export function prismArgs(contractFile: string, options: { port: number; host: string; dynamic?: boolean; upstream?: string }): string[] {
  const mode = options.upstream ? ['proxy', contractFile, options.upstream] : ['mock', contractFile];
  const args = [prismBin(), ...mode, '--port', String(options.port), '--host', options.host];
  if (options.dynamic) args.push('--dynamic');
  return args;
}

function prismBin(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const bin = (require(manifest) as { bin: Record<string, string> }).bin.prism;
  return path.join(path.dirname(manifest), bin);
}

export async function mock(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, specs, 1);
  if (values.help) {
    console.log(
      helpText(
        `attachkit mock <${apiIds().join('|')}> [options]`,
        "Starts Prism on one API's contract: a stateless mock that validates requests and serves the named examples.\nFor real bytes and state, use 'attachkit serve'.",
        specs,
      ),
    );
    return 0;
  }
  const entry = positionals[0] ? findApi(positionals[0]) : undefined;
  if (!entry) throw new UsageError(positionals[0] ? `unknown API '${positionals[0]}'; known: ${apiIds().join(', ')}` : `name an API: ${apiIds().join(', ')}`);
  const port = values.port === undefined ? entry.mockPort : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got '${values.port}'`);
  const host = String(values.host);
  // Prism reports a taken port with a stack trace; say it in one line, as `serve` does.
  const problem = await portProblem(port, host);
  if (problem) throw new UsageError(problem);
  const running = await startMock(entry, { port, host, dynamic: Boolean(values.dynamic), log: process.stderr });
  console.log(`Prism mock of the ${entry.title}: ${running.url}${entry.basePath}`);
  onStop(() => void running.stop());
  return new Promise<number>((resolve) => running.child.once('exit', (code) => resolve(code === 0 || code === null ? 0 : 1)));
}

/** Why Prism could not listen on host:port, or undefined when it can. */
function portProblem(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRINUSE' ? `port ${port} is already in use (try --port)` : `cannot listen on ${host}:${port} (${error.code ?? error.message})`),
    );
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
}
