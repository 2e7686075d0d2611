import type { Store } from '../store/store.ts';
import type { Workspace } from '../store/workspace.ts';
import type { WorkspaceOpener } from './server-api.ts';

/**
 * Opens workspaces for requests: on its first use anywhere a workspace gets its row and every
 * mounted API's seed; on its first use in this process the (idempotent) seeds run again, since
 * another instance may be seeding it at this very moment. Each use marks it as used, at most once
 * per `touchEveryMs`, which `--workspace-ttl` reads to find idle workspaces.
 */
export class Workspaces implements WorkspaceOpener {
  private readonly touched = new Map<string, number>();
  private readonly opening = new Map<string, Promise<Workspace>>();

  constructor(
    private readonly store: Store,
    private readonly seed: (ws: Workspace) => Promise<void>,
    private readonly touchEveryMs = 60_000,
  ) {}

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
    if (firstInProcess || !existed) await this.seed(ws);
    this.touched.set(ws.name, now);
    return ws;
  }
}
