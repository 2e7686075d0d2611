import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { refuseNul } from './refuse-nul.ts';
import { ddlTerms, type CoreTables, type Migration, type RecordStore } from './record-store.ts';

/** Advisory lock key of migrations: one instance migrates while the others wait. */
const migrationLock = 'attachkit:migrations';

/**
 * Records in PostgreSQL, shared by every instance pointed at the same database. Locks that must
 * hold across instances are advisory locks keyed by a hash of their name.
 */
export class PostgresRecords implements RecordStore {
  readonly dialect = 'postgres' as const;
  readonly db: Kysely<CoreTables>;
  readonly location: string;
  private readonly pool: pg.Pool;

  constructor(url: string, options: { poolSize?: number } = {}) {
    const parsed = new URL(url);
    this.location = `postgres://${parsed.host}${parsed.pathname}`;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      // A down database must fail requests quickly, not queue them until the client gives up.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      application_name: 'attachkit',
      // BIGINT and COUNT(*) arrive as strings by default; every value this store keeps fits a double.
      types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
    });
    // An idle connection that breaks (the server restarted) is dropped by the pool; without a
    // listener that would end the process. The next query opens a new connection.
    this.pool.on('error', (error) => console.error(`attachkit: PostgreSQL connection lost (${error.message}); reconnecting on the next request`));
    this.db = new Kysely<CoreTables>({ dialect: new PostgresDialect({ pool: this.pool }), plugins: [refuseNul] });
  }

  async migrate(migrations: Migration[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [migrationLock]);
      await client.query('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      for (const migration of migrations) {
        const applied = await client.query('SELECT 1 FROM migrations WHERE id = $1', [migration.id]);
        if (applied.rowCount) continue;
        // No parameters: the simple query protocol runs several statements in one call.
        await client.query(migration.sql(ddlTerms.postgres));
        await client.query('INSERT INTO migrations (id, applied_at) VALUES ($1, $2)', [migration.id, new Date().toISOString()]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => (broken = true));
      }
    } finally {
      // A connection whose unlock failed may still hold the lock: close it rather than reuse it.
      client.release(broken);
    }
  }

  async lockInTransaction(trx: Kysely<unknown>, name: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  }

  /** PostgreSQL checks its pages itself (checksums, WAL replay); nothing cheap to add at start. */
  async integrityProblems(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
