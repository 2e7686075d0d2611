import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { rootDir, findApi } from '../registry.ts';
import { startMock } from '../cli/mock.ts';

/**
 * Every process the benchmark starts runs as a child (so the load generator never shares an event
 * loop with what it measures), is registered here, and is stopped by its pid on the way out,
 * whether the run ends normally, throws, or gets Ctrl-C.
 */
export interface Service {
  name: string;
  pid: number;
  /** Site root, e.g. http://127.0.0.1:4201 */
  url: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

const firstPort = 4200;
const lastPort = 4299;
let nextPort = firstPort;

/** The next port of 4200–4299 that is free right now. */
export async function allocatePort(): Promise<number> {
  for (let tries = 0; tries <= lastPort - firstPort; tries++) {
    const port = nextPort;
    nextPort = port === lastPort ? firstPort : port + 1;
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port in ${firstPort}-${lastPort}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A temp folder removed at exit, pass or fail. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** `node <args>` from the repository root, stopped with the rest if the run is interrupted. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Starts `cmd args`, waits until a line of its output matches `ready` (group 1 = site URL). */
async function startChild(name: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  return adopt(name, spawnNode(args, env), ready);
}

function adopt(name: string, child: ChildProcess, ready?: RegExp, url?: string): Promise<Service> {
  running.add(child);
  child.once('exit', () => running.delete(child));
  // Always drain the pipes (a full pipe would stall the child); keep the tail for error messages.
  let tail = '';
  const service = (siteUrl: string): Service => ({ name, pid: child.pid!, url: siteUrl, stop: () => stopService(child) });
  return new Promise<Service>((resolve, reject) => {
    let settled = false;
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-8000);
      const m = ready && !settled ? ready.exec(tail) : null;
      if (m) {
        settled = true;
        resolve(service(m[1].replace(/\/+$/, '')));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    if (url) {
      settled = true;
      resolve(service(url));
    }
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${tail.slice(-2000)}`));
    });
  });
}

/** Stops a child started with spawnNode (SIGTERM, SIGKILL after 5 s) and waits for its exit. */
export function stopService(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface ReferenceOptions {
  apis: string[];
  validateResponses: boolean;
  maxFileMb?: number;
}

/** `attachkit serve --in-memory`; its file bytes go to a temp folder of ours (TMPDIR), removed at exit. */
export async function startReference(options: ReferenceOptions): Promise<Service> {
  const port = await allocatePort();
  const args = [path.join(rootDir, 'bin/attachkit.js'), 'serve', '--in-memory', '--port', String(port), '--api', options.apis.join(',')];
  if (options.maxFileMb) args.push('--max-file-mb', String(options.maxFileMb));
  if (!options.validateResponses) args.push('--no-response-validation');
  const tmp = makeTempDir('ref-');
  const name = `reference ${options.apis.join('+')}${options.validateResponses ? '' : ' (no response validation)'}`;
  return startChild(name, args, /attachkit reference server on (http:\/\/\S+)/, { ...process.env, TMPDIR: tmp });
}

/** `attachkit serve` with the given arguments (a port of ours is added), e.g. on PostgreSQL + S3. */
export async function startServe(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Service> {
  const port = await allocatePort();
  const serveArgs = [path.join(rootDir, 'bin/attachkit.js'), 'serve', '--port', String(port), ...args];
  return startChild(name, serveArgs, /attachkit reference server on (http:\/\/\S+)/, { ...process.env, ...env });
}

/** The bare node:http stream-to-disk / disk-to-socket server of baseline-server.ts. */
export async function startBaseline(): Promise<Service & { dir: string }> {
  const port = await allocatePort();
  const dir = makeTempDir('bare-');
  const args = ['--import', 'tsx', path.join(rootDir, 'bench/baseline-server.ts'), String(port), dir];
  return { ...(await startChild('bare baseline', args, /baseline listening on (http:\/\/\S+)/)), dir };
}

/** `attachkit mock <api>` (Prism); the pid is Prism's own node process. */
export async function startPrism(apiId: string): Promise<Service> {
  const entry = findApi(apiId);
  if (!entry) throw new Error(`unknown API ${apiId}`);
  const port = await allocatePort();
  const mock = await startMock(entry, { port, host: '127.0.0.1' });
  return adopt(`Prism ${apiId}`, mock.child, undefined, mock.url);
}

export interface Memory {
  rssKiB: number;
  peakKiB: number;
}

/** VmRSS and VmHWM of a process, from /proc/<pid>/status. */
export function memoryOf(pid: number): Memory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: field('VmRSS'), peakKiB: field('VmHWM') };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (100 ticks/s). */
export function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at state; utime and stime are the 12th and 13th of them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Peak RSS over a stretch of time. Resets the kernel's high-water mark (clear_refs 5) at the
 * start and reads VmHWM at the end; also samples VmRSS every 20 ms, which is all there is when
 * the reset is not permitted.
 */
export function trackPeak(pid: number): { stop(): { peakKiB: number; method: 'VmHWM' | 'sampled' } } {
  let resetOk = true;
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    resetOk = false;
  }
  let sampled = memoryOf(pid).rssKiB;
  const timer = setInterval(() => {
    try {
      sampled = Math.max(sampled, memoryOf(pid).rssKiB);
    } catch {
      // the process went away; the caller sees that on its own
    }
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      const now = memoryOf(pid);
      sampled = Math.max(sampled, now.rssKiB);
      return resetOk ? { peakKiB: Math.max(now.peakKiB, sampled), method: 'VmHWM' } : { peakKiB: sampled, method: 'sampled' };
    },
  };
}

/** Stops every child still running and removes every temp folder. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopService(child)));
  removeTempDirs();
}

function removeTempDirs(): void {
  for (const dir of [...tempDirs].reverse()) {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

/**
 * Ctrl-C / SIGTERM: stop children, remove temp folders, exit 130 / 143. Last resort at exit:
 * SIGKILL. Every temp file of the run (ours, the reference servers' stores, Prism's copy of the
 * contract) lands under one folder, since children inherit TMPDIR.
 */
export function installCleanup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-bench-'));
  // Searchable by other users (mkdtemp makes it 0700): PostgreSQL, started for the scale-out
  // phase as its own user when the bench runs as root, keeps its cluster below this folder.
  fs.chmodSync(root, 0o711);
  tempDirs.add(root);
  process.env.TMPDIR = root;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping ${running.size} child process(es) and removing temp files…`);
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    removeTempDirs();
  });
}
