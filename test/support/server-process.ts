import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { rootDir } from '../../registry.ts';
import { sharedStoreFor, sharedStoreMode } from './test-store.ts';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Ends the process with the signal and waits for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `attachkit serve` as a separate process, as users run it (port 0; the URL is read from its
 * banner). In a shared-store run (test-store.ts) it gets PostgreSQL + S3 unless the arguments
 * name engines: the database and bucket `--data-dir` stands for, or fresh ones.
 */
export async function startServerProcess(args: string[], options: { env?: Record<string, string> } = {}): Promise<ServerProcess> {
  let engineArgs: string[] = [];
  let env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (sharedStoreMode() && !args.includes('--database-url') && !args.includes('--blob-url')) {
    const dataDir = args.includes('--data-dir') ? args[args.indexOf('--data-dir') + 1] : undefined;
    const shared = await sharedStoreFor(dataDir);
    engineArgs = ['--database-url', shared.databaseUrl, '--blob-url', shared.blobUrl];
    env = { ...env, ...shared.env };
  }
  const child = spawn(process.execPath, [path.join(rootDir, 'bin/attachkit.js'), 'serve', '--port', '0', ...args, ...engineArgs], {
    cwd: rootDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const m = /reference server on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`attachkit serve exited with ${code}:\n${output}`)));
  });
  // onData keeps collecting after the URL was found.
  return {
    url,
    child,
    output: () => output,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
