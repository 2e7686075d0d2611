import { spawn } from 'node:child_process';
import path from 'node:path';
import { rootDir } from '../../registry.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `attachkit <args>` as a user would, in a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(rootDir, 'bin/attachkit.js'), ...args], {
      cwd: rootDir,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * The lines of a conformance run's stderr that say what failed: the message of a failed exit-code
 * assertion. A run stopped before any scenario (exit 2) has none, so its last lines stand in.
 */
export function failedLines(stderr: string): string {
  const lines = stderr.split('\n');
  const failed = lines.filter((line) => /^\s+(✗|\[)/.test(line) || /: (PASS|FAIL): /.test(line));
  return (failed.length > 0 ? failed : lines.slice(-5)).join('\n');
}
