import type { Kysely } from 'kysely';
import type { Store } from '../store/store.ts';
import type { CoreTables } from '../store/record-store.ts';
import { defaultWorkspace, type Workspace } from '../store/workspace.ts';
import type { WorkspaceOpener } from './server-api.ts';

export interface WorkspacesOptions {
  /** Every mounted API's seed, run on a workspace's first use (idempotent). */
  seed: (ws: Workspace) => Promise<void>;
  /**
   * The mounted APIs and their workspace tables, children first: what removing a workspace
   * deletes from (an API this process does not serve keeps its rows and blobs).
   */
  apis: () => Array<{ id: string; tables: string[] }>;
  /** `--workspace-ttl`: idle workspaces older than this are removed by `removeIdle`. */
  ttlMs?: number;
}

/**
 * Opens workspaces for requests and removes idle ones. On its first use anywhere a workspace
 * gets its row and every mounted API's seed; on its first use in this process the (idempotent)
 * seeds run again, since another instance may be seeding it at this very moment. Each use marks
 * it as used, at most once per `touchEveryMs` (a quarter of the TTL, at most a minute), so a
 * workspace that any instance served within the TTL is never idle.
 */
export class Workspaces implements WorkspaceOpener {
  private readonly touched = new Map<string, number>();
  private readonly opening = new Map<string, Promise<Workspace>>();
  private readonly touchEveryMs: number;

  constructor(
    private readonly store: Store,
    private readonly options: WorkspacesOptions,
  ) {
    this.touchEveryMs = Math.min(60_000, (options.ttlMs ?? Number.POSITIVE_INFINITY) / 4);
  }

  async open(name: string): Promise<Workspace> {
    const ws = this.store.workspace(name);
    const last = this.touched.get(name);
    if (last !== undefined && Date.now() - last < this.touchEveryMs) return ws;
    let pending = this.opening.get(name);
    if (!pending) {
      pending = this.prepare(ws, last === undefined).finally(() => this.opening.delete(name));
      this.opening.set(name, pending);
    }
    return pending;
  }

  private async prepare(ws: Workspace, firstInProcess: boolean): Promise<Workspace> {
    const now = Date.now();
    const db = this.store.records.db;
    const updated = await db.updateTable('workspaces').set({ last_used_at: now }).where('name', '=', ws.name).executeTakeFirst();
    const existed = Number(updated.numUpdatedRows) > 0;
    if (!existed) {
      await db
        .insertInto('workspaces')
        .values({ name: ws.name, created_at: now, last_used_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
    if (firstInProcess || !existed) await this.options.seed(ws);
    this.touched.set(ws.name, now);
    return ws;
  }

  /**
   * Removes every workspace but the default one that no instance used for `ttlMs`: its rows in
   * every API table and the store's, in one transaction per workspace, then its blobs' bytes.
   * One instance at a time does this (a lock shared through the database).
   */
  async removeIdle(ttlMs = this.options.ttlMs): Promise<string[]> {
    if (ttlMs === undefined) return [];
    const records = this.store.records;
    return records.exclusive('attachkit:workspace-ttl', async () => {
      const cutoff = Date.now() - ttlMs;
      const idle = await records.db
        .selectFrom('workspaces')
        .select('name')
        .where('name', '<>', defaultWorkspace)
        .where('last_used_at', '<', cutoff)
        .execute();
      const removed: string[] = [];
      for (const { name } of idle) {
        const keys = await records.db.transaction().execute(async (trx) => {
          // Still idle now that we hold its row? A request may have touched it meanwhile.
          const row = await trx
            .selectFrom('workspaces')
            .select('last_used_at')
            .where('name', '=', name)
            .$if(records.dialect === 'postgres', (q) => q.forUpdate())
            .executeTakeFirst();
          if (!row || row.last_used_at >= cutoff) return undefined;
          const apis = this.options.apis();
          const ids = apis.map((api) => api.id);
          if (!ids.length) return undefined;
          const blobs = await trx.selectFrom('blobs').select('key').where('workspace', '=', name).where('api', 'in', ids).execute();
          const raw = trx as unknown as Kysely<Record<string, { workspace: string }>>;
          for (const table of apis.flatMap((api) => api.tables)) await raw.deleteFrom(table).where('workspace', '=', name).execute();
          await trx.deleteFrom('blobs').where('workspace', '=', name).where('api', 'in', ids).execute();
          await (trx as Kysely<CoreTables>).deleteFrom('workspaces').where('name', '=', name).execute();
          return blobs.map((b) => b.key);
        });
        if (!keys) continue;
        this.touched.delete(name);
        for (const key of keys) await this.store.blobs.remove(key);
        removed.push(name);
      }
      return removed;
    });
  }

  /** Runs `removeIdle` every quarter TTL (at most every 10 minutes) until the returned stop is called. */
  startExpiry(onError: (error: Error) => void = () => {}): () => void {
    const ttl = this.options.ttlMs;
    if (ttl === undefined) return () => {};
    const timer = setInterval(() => void this.removeIdle(ttl).catch(onError), Math.min(ttl / 4, 600_000));
    timer.unref();
    return () => clearInterval(timer);
  }
}
