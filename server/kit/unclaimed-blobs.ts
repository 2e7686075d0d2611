import type { Response } from 'express';
import type { ApiContext } from './server-api.ts';

/**
 * A body parser stores file bytes before the handler decides whether to keep them. Once the
 * response is over, any stored blob that no record claims (its key is not in the `blobs` table)
 * is removed: a refused or failed upload leaves nothing behind.
 */
export function releaseUnclaimedOnClose(ctx: ApiContext, res: Response, keys: () => Promise<string[]>): void {
  res.on('close', () => {
    void keys().then(async (stored) => {
      if (!ctx.store.db.open) return; // the server closed meanwhile; start-up sweeping covers it
      const claimed = ctx.store.db.prepare('SELECT 1 FROM blobs WHERE key = ?');
      for (const key of stored) if (!claimed.get(key)) await ctx.store.blobs.remove(key);
    });
  });
}
