import path from 'node:path';
import { rootDir } from '../registry.ts';
import { spawnNode } from './processes.ts';
import type { TransferJob, TransferOutcome } from './transfer-client.ts';

/** Runs one transfer in a fresh client process (transfer-client.ts) and returns what it measured. */
export function transfer(job: TransferJob): Promise<TransferOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawnNode(['--import', 'tsx', path.join(rootDir, 'bench/transfer-client.ts'), JSON.stringify(job)]);
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`transfer client (${job.kind} ${job.url}) exited with ${code}:\n${err}`));
      try {
        resolve(JSON.parse(out) as TransferOutcome);
      } catch {
        reject(new Error(`transfer client printed no result:\n${out.slice(0, 500)}\n${err}`));
      }
    });
  });
}
