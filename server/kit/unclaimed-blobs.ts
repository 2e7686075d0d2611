import type { Response } from 'express';
import type { ApiContext } from './server-api.ts';

/**
 * A body parser stores file bytes before the handler decides whether to keep them. Once the
 * response is over, any stored blob that no record claims (its key is not in the `blobs` table)
 * is removed: a refused or failed upload leaves nothing behind.
 */
export function releaseUnclaimedOnClose(ctx: ApiContext, res: Response, keys: () => Promise<string[]>): void {
  res.on('close', () => {
    // The server may have closed meanwhile, or an engine be down: start-up sweeping covers those.
    void keys()
      .then((stored) => ctx.store.releaseUnclaimed(stored))
      .catch(() => undefined);
  });
}
