import { PassThrough, Readable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { BlobTooLargeError, type StoredBlob } from '../../store/blob-store.ts';
import type { Workspace } from '../../store/workspace.ts';
import { pathParam, requestState, type ApiContext, type RequestContext } from '../../kit/server-api.ts';
import { drained, hasBody, readBody } from '../../kit/body-reading.ts';
import { uploadScope } from '../../kit/upload-scope.ts';
import { canReadAttachment, principalOf } from './access.ts';
import { ChunkBodyScanner, type ChunkVerdict } from './chunk-scanner.ts';
import { espoErrors } from './errors.ts';
import { espoNow } from './ids.ts';
import { EspoRepository } from './repository.ts';

/**
 * EspoCRM's chunked upload (POST Attachment with `isBeingUploaded`, then POST Attachment/chunk/{id}
 * until the declared `size` is reached) with two things EspoCRM's protocol cannot give: bounded
 * memory, and no silent corruption when a chunk is sent twice.
 *
 * Each chunk is streamed into a blob of its own (bounded memory, whatever the chunk size) and
 * stored as a row with its length and SHA-256, claimed in the transaction that records it; when
 * the chunks reach the declared size they are composed into the attachment's blob. Only the
 * BlobStore's write/read/remove are used, so it holds on S3 as on files, and a crash anywhere
 * leaves either a recorded chunk or an unclaimed blob the start-up sweep removes.
 *
 * Resends. The protocol carries no offsets, so a chunk sent twice (a retry after a lost answer,
 * or after a crash) would be appended twice, and the upload could complete early with wrong bytes.
 * A chunk identical (length and SHA-256) to the one recorded just before it is therefore refused
 * with 409, not stored; the reason says how many bytes and chunks were received, so a client can
 * go on with the next chunk. The price: a file with two identical consecutive chunks (all zeros
 * over two chunk sizes) cannot be sent in chunks of that size (send it whole, or use another
 * chunk size). EspoCRM itself appends such a chunk; this refusal is the reference server's own.
 *
 * Composing needs room for a second copy of the file. When it fails (a full disk: 500
 * 'Insufficient storage'; a down object store) the chunks stay recorded and the attachment stays
 * `isBeingUploaded`; the client's natural retry, the last chunk sent again, composes it then.
 */

/** The chunk a request carried, streamed into a blob by `streamChunkUpload`. */
export interface StreamedChunk {
  verdict: ChunkVerdict;
  blob?: StoredBlob;
}

/**
 * The chunk route's body parser: the attachment is looked up before a byte of the body is read
 * (a 200 MiB chunk for an unknown id is answered 404 at once), then the body is decoded as it
 * arrives into a blob no larger than the declared size.
 */
export function streamChunkUpload(ctx: ApiContext) {
  return function parseChunkStreaming(req: Request, res: Response, next: NextFunction): void {
    const state = requestState(res);
    if (state.operation?.operationId !== 'uploadAttachmentChunk' || !hasBody(req)) return next();
    const scope = uploadScope(req, ctx);
    void (async () => {
      const repo = new EspoRepository(state.ctx.ws);
      const id = pathParam(res, 'id');
      const row = await repo.findAttachment(id);
      if (!row) throw espoErrors.notFound();
      if (!(await canReadAttachment(row, principalOf(res), repo))) throw espoErrors.noReadAccess();
      const byLimit = ctx.config.maxFileBytes < (row.size ?? 0);
      const limit = Math.min(ctx.config.maxFileBytes, row.size ?? 0);
      const chunk: StreamedChunk = { verdict: 'ok' };
      res.locals.espoChunk = chunk;

      const feed = new PassThrough({ highWaterMark: 1024 * 1024 });
      const stored = scope.store(feed, limit).catch((error: unknown) => {
        if (error instanceof BlobTooLargeError) throw byLimit ? espoErrors.maxAttachmentSizeExceeded() : espoErrors.fileSizeMismatch();
        throw error;
      });
      stored.catch(() => undefined);
      const scanner = new ChunkBodyScanner((bytes) => (feed.write(bytes) ? undefined : drained(feed)));
      await readBody(req, (piece) => scanner.write(piece), stored);
      chunk.verdict = await scanner.end();
      if (chunk.verdict === 'ok') feed.end();
      else feed.destroy(new Error('undecodable chunk'));
      chunk.blob = chunk.verdict === 'ok' ? await stored : undefined;
      // What the contract's validation sees: the data URL without its data.
      req.body = `${scanner.prefix ?? ''};base64,`;
    })().then(
      () => next(),
      (error: unknown) => {
        scope.stop(error instanceof Error ? error : new Error(String(error)));
        next(error);
      },
    );
  };
}

/**
 * POST Attachment/chunk/{id}, after the body was streamed: records the chunk (or refuses a
 * repeat) under the attachment's row lock, and composes the upload once complete.
 */
export async function acceptChunk(req: Request, res: Response, ctx: RequestContext, chunk: StreamedChunk): Promise<void> {
  const id = pathParam(res, 'id');
  const repo = new EspoRepository(ctx.ws);
  // The attachment's row stays locked while the chunk is recorded, so chunks of one upload sent to
  // different instances at once apply one after the other.
  const outcome = await repo.transaction(async (tx) => {
    const row = await tx.findAttachment(id, { lock: true });
    if (!row) throw espoErrors.notFound();
    if (!(await canReadAttachment(row, principalOf(res), tx))) throw espoErrors.noReadAccess();
    const chunks = await tx.chunksOf(id);
    const received = chunks.reduce((sum, c) => sum + c.size, 0);
    const last = chunks.at(-1);
    const blob = chunk.blob;
    if (row.is_being_uploaded !== 1) throw espoErrors.notBeingUploaded();
    if (row.storage !== 'EspoUploadDir') throw espoErrors.storageNotUploadDir();
    if (!blob) throw espoErrors.badFileData();
    // The chunks already make the whole file, so its composition failed (a full disk, a down
    // object store) or is under way: a chunk sent again retries it and is not stored.
    if (received === row.size) return { complete: true };
    if (last && last.size === blob.size && last.sha256 === blob.sha256) throw espoErrors.repeatedChunk(received, row.size, chunks.length);
    const total = received + blob.size;
    if (total > ctx.config.maxFileBytes) throw espoErrors.maxAttachmentSizeExceeded();
    if (row.size === null || total > row.size) throw espoErrors.fileSizeMismatch();
    await tx.insertChunk({ attachment_id: id, seq: chunks.length, size: blob.size, sha256: blob.sha256, blob_key: blob.key }, blob);
    return { complete: total === row.size };
  });
  if (outcome.complete) await composeUpload(ctx.ws, id, ctx.faults.has('chunk-overwrites'));
  res.status(200).json(true);
}

/**
 * Composes a complete upload's chunks into the attachment's blob and marks it uploaded. Does
 * nothing when another request (or instance) did it first; the losing composition is removed.
 * Fault `chunk-overwrites`: only the last chunk's bytes are kept, as if each chunk replaced the last.
 */
async function composeUpload(ws: Workspace, id: string, lastOnly: boolean): Promise<void> {
  const repo = new EspoRepository(ws);
  const row = await repo.findAttachment(id);
  if (!row || row.is_being_uploaded !== 1) return;
  const chunks = await repo.chunksOf(id);
  const parts = (lastOnly ? chunks.slice(-1) : chunks).map((c) => c.blob_key!);
  const composed = await ws.blobs.write(Readable.from(concatenated(ws, parts)));
  let removable: string[] | undefined;
  try {
    removable = await repo.transaction(async (tx) => {
      const fresh = await tx.findAttachment(id, { lock: true });
      return fresh && fresh.is_being_uploaded === 1 ? tx.completeChunkedUpload(fresh, composed, espoNow()) : undefined;
    });
  } catch (error) {
    // Unclaimed: removed now rather than at the next start-up sweep (which it is left to if this fails too).
    await ws.blobs.remove(composed.key).catch(() => undefined);
    throw error;
  }
  for (const key of removable ?? [composed.key]) await ws.blobs.remove(key);
}

async function* concatenated(ws: Workspace, keys: string[]): AsyncGenerator<Buffer> {
  for (const key of keys) for await (const piece of await ws.blobs.createReadStream(key)) yield piece as Buffer;
}

/** The chunks a download of an upload still in progress serves, in order (EspoCRM serves the partial file). */
export async function partsInProgress(ws: Workspace, id: string): Promise<string[]> {
  return (await new EspoRepository(ws).chunksOf(id)).flatMap((c) => (c.blob_key ? [c.blob_key] : []));
}
