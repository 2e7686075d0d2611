import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BlobStore, type StoredBlob } from './blob-store.ts';

export interface StoreOptions {
  /** Folder holding `attachkit.db` and `files/`. */
  dataDir: string;
  /** Throwaway store: database in memory, files in a temp folder removed on close. */
  inMemory?: boolean;
}

export interface Migration {
  /** Unique per API, e.g. `espocrm-001-attachments`. Applied once, in array order. */
  id: string;
  sql: string;
}

/**
 * The embedded default store shared by every API: one SQLite database (WAL) for records and a
 * BlobStore for file contents. The `blobs` table is written in the same transaction as the
 * record that owns a blob, so an unreferenced file is by definition an orphan.
 */
export class Store {
  readonly db: Database.Database;
  readonly blobs: BlobStore;
  readonly dataDir: string;
  private readonly temporary: boolean;

  constructor(options: StoreOptions) {
    this.temporary = Boolean(options.inMemory);
    this.dataDir = this.temporary ? fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-')) : path.resolve(options.dataDir);
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.db = new Database(this.temporary ? ':memory:' : path.join(this.dataDir, 'attachkit.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS blobs (
        key TEXT PRIMARY KEY,
        api TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `);
    this.blobs = new BlobStore(this.dataDir);
  }

  migrate(migrations: Migration[]): void {
    const applied = this.db.prepare('SELECT 1 FROM migrations WHERE id = ?');
    const record = this.db.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)');
    for (const migration of migrations) {
      if (applied.get(migration.id)) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        record.run(migration.id, new Date().toISOString());
      })();
    }
  }

  /** Registers a written blob; call inside the transaction that stores the owning record. */
  registerBlob(api: string, blob: StoredBlob): void {
    this.db
      .prepare('INSERT INTO blobs (key, api, size, sha256, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(blob.key, api, blob.size, blob.sha256, new Date().toISOString());
  }

  updateBlobSize(key: string, size: number, sha256 = ''): void {
    this.db.prepare('UPDATE blobs SET size = ?, sha256 = ? WHERE key = ?').run(size, sha256, key);
  }

  /** Forgets a blob inside the caller's transaction; the file is unlinked after commit. */
  forgetBlob(key: string): void {
    this.db.prepare('DELETE FROM blobs WHERE key = ?').run(key);
  }

  /** Removes files that no committed record references (interrupted writes, crashed deletes). */
  async sweepOrphans(): Promise<{ temp: number; orphans: number }> {
    const keys = this.db.prepare('SELECT key FROM blobs').pluck().all() as string[];
    return this.blobs.sweep(new Set(keys));
  }

  close(): void {
    if (this.db.open) this.db.close();
    if (this.temporary) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
