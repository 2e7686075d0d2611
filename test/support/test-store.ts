import { freshBucket, freshDatabase, sharedEngines } from './engines.ts';

/**
 * Which store the reference servers of this test run use. `npm test` runs the store-dependent
 * test files twice (vitest.config.ts): on the embedded store, and with
 * ATTACHKIT_TEST_STORE=shared on PostgreSQL + Swift's S3 (test/support/engines.ts), each server
 * on a database and a bucket of its own.
 */
export function sharedStoreMode(): boolean {
  return process.env.ATTACHKIT_TEST_STORE === 'shared';
}

export interface SharedStore {
  databaseUrl: string;
  blobUrl: string;
  /** What `attachkit serve` needs in its environment to reach the object store. */
  env: Record<string, string>;
}

const byDataDir = new Map<string, Promise<SharedStore>>();

/**
 * A fresh database and bucket; the same ones again for the same `dataDir`, so a test that
 * restarts a server "on the same data dir" finds its records and files again.
 */
export function sharedStoreFor(dataDir?: string): Promise<SharedStore> {
  if (dataDir === undefined) return freshSharedStore();
  let store = byDataDir.get(dataDir);
  if (!store) {
    store = freshSharedStore();
    byDataDir.set(dataDir, store);
  }
  return store;
}

export async function freshSharedStore(): Promise<SharedStore> {
  const { s3 } = await sharedEngines();
  const endpoint = encodeURIComponent(s3.endpoint);
  return {
    databaseUrl: await freshDatabase(),
    blobUrl: `s3://${freshBucket()}?endpoint=${endpoint}&region=${s3.region}`,
    env: { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey },
  };
}
