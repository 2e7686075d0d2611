import { BlobStoreUnavailableError, type BlobStore, type SweepResult } from './blob-store.ts';
import { damaged, inBatches, type Migration, type RecordStore } from './record-store.ts';
import { Workspace } from './workspace.ts';

export type { Migration } from './record-store.ts';

/** Tables of the store itself; API migrations come after these. */
export const coreMigrations: Migration[] = [
  {
    id: 'core-001-blobs-workspaces',
    sql: ({ bigint }) => `
      CREATE TABLE workspaces (
        name TEXT PRIMARY KEY,
        created_at ${bigint} NOT NULL,
        last_used_at ${bigint} NOT NULL
      );
      CREATE TABLE blobs (
        key TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        api TEXT NOT NULL,
        size ${bigint} NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX blobs_workspace ON blobs (workspace);
    `,
  },
];

export interface ClaimedBlob {
  key: string;
  workspace: string;
  api: string;
  size: number;
}

export interface IntegrityFindings {
  missing: ClaimedBlob[];
  damaged: Array<ClaimedBlob & { actual: number }>;
}

export interface StoreOptions {
  /**
   * Other processes may use the same records and blobs (a shared database): a blob written a
   * moment ago by another instance may be about to be claimed, so sweeping spares recent ones.
   */
  shared: boolean;
  /** How old an unclaimed blob or interrupted write of a shared store must be to be swept. */
  sweepGraceMs?: number;
  /** Where the records and files are, for the start-up banner (no credentials). */
  description: string;
  /** Runs after both engines are closed (removes a throwaway store's folder). */
  onClose?: () => void | Promise<void>;
}

/**
 * The store every API's repositories use: records in a RecordStore (SQLite or PostgreSQL, one
 * query code through Kysely) and file contents in a BlobStore (files or S3), divided into
 * workspaces. Repositories are built on a Workspace (`store.workspace(name)`), never on the
 * whole store.
 */
export class Store {
  private closed = false;

  constructor(
    readonly records: RecordStore,
    readonly blobs: BlobStore,
    private readonly options: StoreOptions,
  ) {}

  get description(): string {
    return this.options.description;
  }

  /** Applies the store's and the given migrations; safe when several instances start at once. */
  async migrate(migrations: Migration[]): Promise<void> {
    await this.refuseOldLayout();
    await this.records.migrate([...coreMigrations, ...migrations]);
  }

  /** A data dir written before workspaces existed has tables this version cannot read. */
  private async refuseOldLayout(): Promise<void> {
    const applied = await this.records.db
      .selectFrom('migrations')
      .select('id')
      .execute()
      .catch(() => [] as Array<{ id: string }>);
    if (applied.length && !applied.some((m) => m.id === coreMigrations[0].id)) {
      throw new Error(`the store at ${this.records.location} was written by an earlier attachkit (before workspaces); move it away or use another --data-dir`);
    }
  }

  /**
   * A view of one workspace; writes nothing (opening one is `Workspaces.open`). Not cached: a
   * request names any workspace before it is authenticated, so a cache would grow with strangers'
   * names, and the object is two references.
   */
  workspace(name: string): Workspace {
    return new Workspace(name, this.records, this.blobs);
  }

  /** The keys among `keys` that a committed record claims. */
  async claimedKeys(keys: string[]): Promise<Set<string>> {
    const claimed = new Set<string>();
    for (const batch of inBatches(keys)) {
      const rows = await this.records.db.selectFrom('blobs').select('key').where('key', 'in', batch).execute();
      for (const row of rows) claimed.add(row.key);
    }
    return claimed;
  }

  /** The size and sha256 a blob was claimed with. */
  async blobInfo(key: string): Promise<{ size: number; sha256: string } | undefined> {
    const row = await this.records.db.selectFrom('blobs').select(['size', 'sha256']).where('key', '=', key).executeTakeFirst();
    return row ? { size: Number(row.size), sha256: row.sha256 } : undefined;
  }

  /**
   * Removes the blobs among `keys` that no record claimed: called when the request that wrote
   * them is over. Unreachable engines leave them to the start-up sweep.
   */
  async releaseUnclaimed(keys: string[]): Promise<void> {
    if (this.closed || keys.length === 0) return;
    const claimed = await this.claimedKeys(keys);
    for (const key of keys) if (!claimed.has(key)) await this.blobs.remove(key);
  }

  /** Stops the start on a damaged record database (its own consistency check), before anything reads it. */
  async assertEngineSound(): Promise<void> {
    const problems = await this.records.integrityProblems().catch((error: Error) => [error.message]);
    if (problems.length) throw damaged(this.records.location, problems);
  }

  /**
   * The start-up integrity check of records against bytes: every claimed blob against the blob
   * store (the record engine's own check runs first, see `assertEngineSound`). `missing`: claimed, but no bytes (a record that can never be served);
   * `damaged`: bytes of another size than they were claimed with (refused on download).
   */
  async checkIntegrity(): Promise<IntegrityFindings> {
    const claimed = await this.records.db.selectFrom('blobs').select(['key', 'workspace', 'api', 'size']).execute();
    const present = new Set<string>();
    for await (const key of this.blobs.list()) present.add(key);
    const missing: ClaimedBlob[] = [];
    const damaged: Array<ClaimedBlob & { actual: number }> = [];
    for (const row of claimed) {
      const blob = { key: row.key, workspace: row.workspace, api: row.api, size: Number(row.size) };
      if (!present.has(row.key)) {
        // An object store's listing may lag behind a write another instance just made (Swift
        // lists eventually); reading the blob itself decides, so no record is dropped by mistake.
        if (!(await this.blobExists(row.key))) missing.push(blob);
      }
      // On a shared store this would be a request per file at every start: downloads check the size anyway.
      else if (!this.options.shared) {
        const actual = await this.blobs.sizeOf(row.key);
        if (actual !== blob.size) damaged.push({ ...blob, actual });
      }
    }
    return { missing, damaged };
  }

  private async blobExists(key: string): Promise<boolean> {
    try {
      await this.blobs.sizeOf(key);
      return true;
    } catch (error) {
      if (error instanceof BlobStoreUnavailableError) throw error;
      return false;
    }
  }

  /**
   * Removes interrupted writes and blobs no record claims. On a shared store only those older
   * than the grace period, and one instance at a time.
   */
  async sweepOrphans(): Promise<SweepResult> {
    const grace = this.options.shared ? (this.options.sweepGraceMs ?? 15 * 60 * 1000) : 0;
    return this.records.exclusive('attachkit:sweep', () => this.blobs.sweep((keys) => this.claimedKeys(keys), new Date(Date.now() - grace)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.records.close();
    await this.blobs.close();
    await this.options.onClose?.();
  }
}
