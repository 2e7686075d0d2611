import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlobStore } from './blob-store.ts';
import { FileBlobStore } from './file-blob-store.ts';
import { PostgresRecords } from './postgres-records.ts';
import { parseS3Url, S3BlobStore } from './s3-blob-store.ts';
import type { RecordStore } from './record-store.ts';
import { SqliteRecords } from './sqlite-records.ts';
import { Store } from './store.ts';

export interface OpenStoreOptions {
  /** Folder of the embedded store: `attachkit.db` and `files/`, for whichever of them no URL replaces. */
  dataDir: string;
  /** Throwaway embedded store: database in memory, files in a temp folder removed on close. */
  inMemory?: boolean;
  /** `postgres://…`: records in PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** `file://DIR` (a shared file system) or `s3://BUCKET?endpoint=…&region=…`: file contents elsewhere. */
  blobUrl?: string;
  /** Where S3 credentials are read from (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). */
  env?: NodeJS.ProcessEnv;
  /** On a shared store, how old an unclaimed blob must be to be swept (default 15 minutes). */
  sweepGraceMs?: number;
}

export class StoreUrlError extends Error {}

/**
 * Opens the store the options describe: each engine is the embedded one unless its URL names
 * another, so `--database-url` and `--blob-url` are independently optional.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const temporary = options.inMemory ? fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-')) : undefined;
  const dataDir = temporary ?? path.resolve(options.dataDir);
  const needsDataDir = !options.databaseUrl || !options.blobUrl;
  if (needsDataDir) fs.mkdirSync(dataDir, { recursive: true });
  const cleanup = () => {
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  };
  let records: RecordStore | undefined;
  try {
    records = options.databaseUrl ? openRecords(options.databaseUrl) : new SqliteRecords(temporary ? ':memory:' : path.join(dataDir, 'attachkit.db'));
    const blobs = options.blobUrl ? await openBlobs(options.blobUrl, options.env ?? process.env) : new FileBlobStore(dataDir);
    const description = temporary && !options.databaseUrl && !options.blobUrl ? 'in memory' : options.databaseUrl || options.blobUrl ? `records ${records.location}, files ${blobs.location}` : dataDir;
    return new Store(records, blobs, { shared: Boolean(options.databaseUrl || options.blobUrl), sweepGraceMs: options.sweepGraceMs, description, onClose: cleanup });
  } catch (error) {
    await records?.close();
    cleanup();
    throw error;
  }
}

function openRecords(url: string): RecordStore {
  const protocol = safeUrl(url, '--database-url').protocol;
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') throw new StoreUrlError(`--database-url must be postgres://…, got ${protocol}//…`);
  return new PostgresRecords(url);
}

async function openBlobs(url: string, env: NodeJS.ProcessEnv): Promise<BlobStore> {
  const parsed = safeUrl(url, '--blob-url');
  if (parsed.protocol === 'file:') return new FileBlobStore(fileURLToPath(parsed));
  if (parsed.protocol === 's3:') {
    let where;
    try {
      where = parseS3Url(parsed);
    } catch (error) {
      throw new StoreUrlError((error as Error).message);
    }
    return S3BlobStore.open(where, env);
  }
  throw new StoreUrlError(`--blob-url must be file://DIR or s3://BUCKET?endpoint=…&region=…, got ${parsed.protocol}//…`);
}

function safeUrl(url: string, option: string): URL {
  try {
    return new URL(url);
  } catch {
    // Never echo the URL: it may carry a password.
    throw new StoreUrlError(`${option} is not a URL`);
  }
}
