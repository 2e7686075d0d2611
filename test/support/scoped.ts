import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { startReferenceServer, type RunningServer } from './reference-server.ts';

/** A reference server (port 0) that is closed when the current test ends, pass or fail. */
export async function serverForTest(options: Parameters<typeof startReferenceServer>[0] = {}): Promise<RunningServer> {
  const running = await startReferenceServer(options);
  onTestFinished(() => running.close());
  return running;
}

/** A temp folder removed when the current test ends. */
export function tempDirForTest(prefix = 'attachkit-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
