import { sql } from 'kysely';
import { PassThrough } from 'node:stream';
import type { Store } from '../../server/store/store.ts';

/**
 * Looks into a store the way a test needs to, whatever its engines: rows by SQL (the same text
 * runs on SQLite and PostgreSQL), blob keys and bytes through the BlobStore interface.
 */
export async function rows<T = Record<string, unknown>>(store: Store, query: string): Promise<T[]> {
  const result = await sql.raw<T>(query).execute(store.records.db);
  return result.rows;
}

/** The first column of the first row, as a number (COUNT(*) and the like). */
export async function scalar(store: Store, query: string): Promise<number> {
  const [row] = await rows(store, query);
  return Number(Object.values(row ?? {})[0]);
}

export async function blobKeys(store: Store): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.blobs.list()) keys.push(key);
  return keys.sort();
}

export async function blobBytes(store: Store, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.blobs.createReadStream(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}


/**
 * Starts a write of `size` bytes and leaves it unfinished, as a process killed mid-upload does:
 * a temp file on the embedded store, an unfinished multipart upload on S3. Resolves once the
 * store holds the bytes; the write itself never completes.
 */
export async function abandonWrite(store: Store, size = 6 * 1024 * 1024): Promise<void> {
  const before = await store.blobs.pendingBytes();
  const source = new PassThrough();
  store.blobs.write(source).catch(() => undefined);
  source.write(Buffer.alloc(size, 1));
  for (let i = 0; i < 300 && (await store.blobs.pendingBytes()) - before < 5 * 1024 * 1024; i++) await new Promise((r) => setTimeout(r, 100));
}
