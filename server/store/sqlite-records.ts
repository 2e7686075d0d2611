import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KeyedLock } from '../kit/keyed-lock.ts';
import { refuseNul } from './refuse-nul.ts';
import { damaged, ddlTerms, type CoreTables, type Migration, type RecordStore } from './record-store.ts';

/**
 * The embedded record store: one SQLite database in WAL mode, used by this process only. Kysely
 * serialises every query through SQLite's single connection, so a transaction sees no other
 * work interleaved and needs no row locks.
 */
export class SqliteRecords implements RecordStore {
  readonly dialect = 'sqlite' as const;
  readonly db: Kysely<CoreTables>;
  private readonly raw: Database.Database;
  private readonly locks = new KeyedLock();

  constructor(readonly location: string) {
    this.raw = new Database(location);
    try {
      this.raw.pragma('journal_mode = WAL');
    } catch (error) {
      this.raw.close();
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') throw damaged(location, [(error as Error).message]);
      throw error;
    }
    this.raw.pragma('synchronous = FULL');
    this.raw.pragma('foreign_keys = ON');
    this.raw.pragma('busy_timeout = 5000');
    this.db = new Kysely<CoreTables>({ dialect: new SqliteDialect({ database: cachingStatements(this.raw) }), plugins: [refuseNul] });
  }

  async migrate(migrations: Migration[]): Promise<void> {
    // Through Kysely's connection, so no query of this process runs in between.
    await this.db.connection().execute(async () => {
      this.raw.exec('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      const applied = this.raw.prepare('SELECT 1 FROM migrations WHERE id = ?');
      const record = this.raw.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)');
      for (const migration of migrations) {
        if (applied.get(migration.id)) continue;
        this.raw.transaction(() => {
          this.raw.exec(migration.sql(ddlTerms.sqlite));
          record.run(migration.id, new Date().toISOString());
        })();
      }
    });
  }

  exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(name, work);
  }

  async lockInTransaction(): Promise<void> {}

  async integrityProblems(): Promise<string[]> {
    // quick_check: every page and index entry readable and well-formed, in time linear in the file.
    const rows = this.raw.pragma('quick_check') as Array<{ quick_check: string }>;
    return rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  }

  async close(): Promise<void> {
    if (this.raw.open) await this.db.destroy();
  }
}

/**
 * better-sqlite3 compiles a statement per `prepare`; Kysely prepares every query it runs. The
 * handful of distinct statements the APIs use are compiled once and reused.
 */
function cachingStatements(raw: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  return new Proxy(raw, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => {
          let statement = cache.get(sql);
          if (!statement) {
            statement = target.prepare(sql);
            if (cache.size < 500) cache.set(sql, statement);
          }
          return statement;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
