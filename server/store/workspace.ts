import type { Kysely } from 'kysely';
import type { BlobStore, StoredBlob } from './blob-store.ts';
import type { CoreTables, RecordStore, SqlDialect } from './record-store.ts';

/** The workspace of requests without a `/ws/<name>/` prefix. */
export const defaultWorkspace = 'default';

/** Workspace names: safe in a URL path segment and as a lock name. */
export const workspaceNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * One isolated workspace of the store: what a repository is built on. Every API table has a
 * `workspace` column that is part of its key, and every query a repository runs names
 * `ws.name`, so two workspaces never see each other's records; blobs are claimed with the
 * workspace that owns them, so removing a workspace finds its bytes.
 */
export class Workspace {
  constructor(
    readonly name: string,
    private readonly records: RecordStore,
    readonly blobs: BlobStore,
  ) {}

  get db(): Kysely<CoreTables> {
    return this.records.db;
  }

  get dialect(): SqlDialect {
    return this.records.dialect;
  }

  /**
   * Claims a durable blob for a record: call in the transaction that stores the record, after
   * `blobs.write` resolved. From its commit on, the blob is the record's.
   */
  async claimBlob(db: Kysely<any>, api: string, blob: StoredBlob): Promise<void> {
    await (db as Kysely<CoreTables>)
      .insertInto('blobs')
      .values({ key: blob.key, workspace: this.name, api, size: blob.size, sha256: blob.sha256, created_at: new Date().toISOString() })
      .execute();
  }

  /** Forgets a blob in the caller's transaction; remove its bytes (`blobs.remove`) after commit. */
  async forgetBlob(db: Kysely<any>, key: string): Promise<void> {
    await (db as Kysely<CoreTables>).deleteFrom('blobs').where('key', '=', key).where('workspace', '=', this.name).execute();
  }

  /**
   * Holds a lock on `name` (within this workspace) until the transaction ends: for
   * read-then-write steps that must not interleave across instances (e.g. "the newest date + 1 ms").
   */
  async serialize(trx: Kysely<any>, name: string): Promise<void> {
    await this.records.lockInTransaction(trx, `${this.name}:${name}`);
  }
}
