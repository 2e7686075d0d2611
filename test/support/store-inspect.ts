import { sql } from 'kysely';
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

