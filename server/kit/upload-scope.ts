import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { BlobTooLargeError, type StoredBlob } from '../store/blob-store.ts';
import type { ApiContext } from './server-api.ts';

/** The client cut the request body short (reset, half-close, timeout): nothing it sent is kept. */
export class BodyCutError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The request's cut, with the reason http-server.ts recorded (a timeout, a short body) when it knows one. */
export function bodyCut(req: IncomingMessage): BodyCutError {
  return new BodyCutError((req as { attachkitCut?: string }).attachkitCut ?? 'The request body was cut off before its end.');
}

const scopes = new WeakMap<Request, UploadScope>();

/** The request's upload scope, opened on first use. */
export function uploadScope(req: Request, ctx: ApiContext): UploadScope {
  let scope = scopes.get(req);
  if (!scope) {
    scope = new UploadScope(req, ctx);
    scopes.set(req, scope);
  }
  return scope;
}

/** Releases the request's upload scope, if it opened one: see UploadScope.release. */
export async function releaseUploads(req: Request): Promise<void> {
  await scopes.get(req)?.release();
}

/**
 * Every file a request streams into the blob store, from the first byte to the end of the
 * request's handling. The one place upload bytes flow through, for every API and every upload
 * form, so each way out is handled once:
 *   - success: the handler registers the blob in the transaction that stores its record;
 *   - over the limit, a failed write (ENOSPC), a parser error: the write stops, its temp file and
 *     descriptor go, and the source is drained so the parser can still finish or be dropped;
 *   - the client cuts the body (RST, FIN, timeout): every write in flight is destroyed at once;
 *   - the handler throws or refuses: `release` removes what no record claimed.
 * `release` runs when the request's handling is over (handler done or error answered), never when
 * the connection closes: a client that resets after its last byte must not take the bytes of a
 * record the handler is about to commit.
 */
export class UploadScope {
  private readonly stored: StoredBlob[] = [];
  private readonly writes = new Set<Promise<unknown>>();
  private readonly feeds = new Set<PassThrough>();
  private stopped?: Error;
  private released?: Promise<void>;

  constructor(
    private readonly req: Request,
    private readonly ctx: ApiContext,
  ) {
    // 'aborted' comes with a reset, a half-close and a request timeout (http-server.ts says which).
    req.once('aborted', () => this.stop(bodyCut(req)));
    req.once('close', () => {
      if (!req.complete) this.stop(new BodyCutError('The connection closed before the request body ended.'));
    });
  }

  /** Why the scope stopped taking bytes (a cut body, a refusal), once it did. */
  get stopReason(): Error | undefined {
    return this.stopped;
  }

  /**
   * Streams `source` into the blob store, refusing more than `limit` bytes. The source is never
   * destroyed (a parser owns it): on any failure the rest of it is read and dropped.
   */
  store(source: Readable, limit: number): Promise<StoredBlob> {
    if (this.stopped) {
      source.resume();
      return Promise.reject(this.stopped);
    }
    const feed = new PassThrough({ highWaterMark: 1024 * 1024 });
    this.feeds.add(feed);
    let size = 0;
    let stopped = false;
    const stop = (error: Error) => {
      if (stopped) return;
      stopped = true;
      source.off('data', onData);
      source.resume();
      feed.destroy(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(new BlobTooLargeError(limit));
      if (!feed.write(chunk)) {
        source.pause();
        feed.once('drain', () => source.resume());
      }
    };
    source.on('data', onData);
    source.once('end', () => {
      if (!stopped) feed.end();
    });
    source.once('error', (error: Error) => stop(error));
    const write = this.ctx.store.blobs.write(feed).then(
      (blob) => {
        this.stored.push(blob);
        return blob;
      },
      (error: unknown) => {
        stop(error as Error);
        // A write stopped by a cut or a refusal reports that, not the stream error it caused.
        throw this.stopped ?? error;
      },
    );
    const tracked = write.finally(() => {
      this.feeds.delete(feed);
      this.writes.delete(tracked);
    });
    this.writes.add(tracked);
    tracked.catch(() => undefined);
    return write;
  }

  /**
   * Stops every write in flight and refuses new ones: their temp files and descriptors go now.
   * Called when the client cuts the body, and by a parser that refuses the request before its end.
   */
  stop(error: Error): void {
    this.stopped ??= error;
    for (const feed of this.feeds) feed.destroy(this.stopped);
  }

  /**
   * Once the request's handling is over: waits for writes still settling and removes every stored
   * blob that no record claimed. Runs once; later calls share the first.
   */
  release(): Promise<void> {
    this.released ??= (async () => {
      while (this.writes.size) await Promise.allSettled([...this.writes]);
      // A closed store or an unreachable engine leaves them to the start-up sweep.
      await this.ctx.store.releaseUnclaimed(this.stored.map((blob) => blob.key)).catch(() => undefined);
    })();
    return this.released;
  }
}
