import { onTestFinished } from 'vitest';
import { loadBalancer, type LoadBalancer } from './engines.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { freshSharedStore, type SharedStore } from './test-store.ts';

export interface Instances {
  store: SharedStore;
  servers: ServerProcess[];
  /** nginx round-robin in front of every instance. */
  balancer: LoadBalancer;
  /** `attachkit serve` arguments that point at this store (for starting one more, or again). */
  args: string[];
  start(extra?: string[]): Promise<ServerProcess>;
}

/**
 * `count` instances of `attachkit serve` on one fresh PostgreSQL database and one fresh bucket,
 * started at the same moment (as a deployment rolls them out), behind nginx round-robin. All
 * are stopped when the test ends.
 */
export async function startInstances(count: number, extra: string[] = []): Promise<Instances> {
  const store = await freshSharedStore();
  const args = ['--in-memory', '--database-url', store.databaseUrl, '--blob-url', store.blobUrl, ...extra];
  const started: ServerProcess[] = [];
  onTestFinished(async () => {
    await Promise.all(started.map((s) => s.kill('SIGTERM')));
  });
  const start = async (more: string[] = []) => {
    const server = await startServerProcess([...args, ...more], { env: store.env });
    started.push(server);
    return server;
  };
  const servers = await Promise.all(Array.from({ length: count }, () => start()));
  const balancer = await loadBalancer(servers.map((s) => s.url));
  onTestFinished(() => balancer.stop());
  return { store, servers, balancer, args, start };
}
