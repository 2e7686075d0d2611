import { PassThrough } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { BlobTooLargeError, type StoredBlob } from '../../store/blob-store.ts';
import { jsonDepth } from '../../kit/json-body.ts';
import { requestState, type ApiContext } from '../../kit/server-api.ts';
import { isStorageFull } from '../../kit/to-api-error.ts';
import { drained, readBody } from '../../kit/body-reading.ts';
import { uploadScope, type UploadScope } from '../../kit/upload-scope.ts';
import { AttributesTooLargeError, DataUrlJsonScanner, MalformedJsonError, type FileSink } from './data-url-scanner.ts';
import { espoDialect, espoErrors, maxJsonDepth } from './errors.ts';

/** The `file` data URL of a POST Attachment, decoded while it arrives. */
export interface StreamedFile {
  blob?: StoredBlob;
  /** The part before the comma, e.g. `data:text/plain;base64`. */
  prefix?: string;
  /** CreateInputFilter's verdict on the contents, thrown by the handler in EspoCRM's order. */
  error?: Error;
  /** Settles when the bytes are on disk (or failed to be). */
  stored?: Promise<unknown>;
}

/** Bound on the attributes beside `file` (name, type, field, …): a few hundred bytes in practice. */
const attributeBytes = 1024 * 1024;

/**
 * POST Attachment carries the file as a base64 data URL inside JSON, up to the upload limit
 * (256 MB by default, so ~341 MB of JSON). The body is read once: the `file` string is decoded as
 * it arrives and streamed into the blob store through the request's upload scope, the other
 * attributes are kept as JSON text (bounded) and parsed at the end. Memory stays flat whatever the
 * file size, and the decoding runs at native speed (data-url-scanner.ts).
 *
 * A file over the limit or a full disk is answered at once; a cut body stops the write; other
 * verdicts on the contents wait for the handler, which throws them in EspoCRM's order.
 * req.body gets every attribute, with `file` reduced to its `<prefix>,` so the contract's
 * validation still sees a data URL; the stored bytes wait in res.locals.espoFile.
 */
export function streamAttachmentUpload(ctx: ApiContext) {
  return function parseAttachmentStreaming(req: Request, res: Response, next: NextFunction): void {
    if (requestState(res).operation?.operationId !== 'createAttachment' || !req.is('application/json')) return next();
    const file: StreamedFile = {};
    res.locals.espoFile = file;
    const scope = uploadScope(req, ctx);
    // Over the limit or a full disk (BlobSink): answered at once, whatever the rest of the body holds.
    let fatal: (error: unknown) => void = () => {};
    const refused = new Promise<never>((_, reject) => (fatal = reject));
    let refusedWith: unknown;
    refused.catch((error: unknown) => (refusedWith = error));
    const scanner = new DataUrlJsonScanner(() => new BlobSink(scope, file, ctx.config.maxFileBytes, fatal), attributeBytes);
    void (async () => {
      await readBody(req, (chunk) => scanner.write(chunk), refused);
      const body = JSON.parse(scanner.end()) as unknown;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new MalformedJsonError('not an object');
      if (jsonDepth(body) > maxJsonDepth) throw new MalformedJsonError('nested too deep');
      await file.stored;
      if (refusedWith !== undefined) throw refusedWith;
      req.body = body;
    })().then(
      () => next(),
      (error: unknown) => {
        scope.stop(error instanceof Error ? error : new Error(String(error)));
        next(refusal(error));
      },
    );
  };
}

function refusal(error: unknown): unknown {
  if (error instanceof BlobTooLargeError) return espoErrors.sizeExceedsLimit();
  if (error instanceof AttributesTooLargeError) {
    // EspoCRM's varchar check (maxLength 255 for name, 100 for type) would refuse these; others are ours.
    return error.key === 'name' || error.key === 'type' ? espoErrors.validationFailure('Attachment', error.key, 'maxLength') : espoDialect.invalidRequest('The attributes beside `file` exceed 1 MiB.');
  }
  if (error instanceof MalformedJsonError || error instanceof SyntaxError) return espoDialect.invalidRequest('Malformed JSON body.');
  return error;
}

/** Decoded file bytes into the blob store; the latest `file` attribute of the body wins. */
class BlobSink implements FileSink {
  private feed?: PassThrough;
  private static readonly current = new WeakMap<StreamedFile, BlobSink>();

  constructor(
    private readonly scope: UploadScope,
    private readonly file: StreamedFile,
    private readonly limit: number,
    private readonly fatal: (error: unknown) => void,
  ) {
    BlobSink.current.set(file, this);
    Object.assign(file, { blob: undefined, prefix: undefined, error: undefined, stored: undefined });
  }

  private get latest(): boolean {
    return BlobSink.current.get(this.file) === this;
  }

  start(prefix: string): void {
    this.file.prefix = prefix;
    const feed = new PassThrough({ highWaterMark: 1024 * 1024 });
    this.feed = feed;
    this.file.stored = this.scope.store(feed, this.limit).then(
      (blob) => {
        if (this.latest && !this.file.error) this.file.blob = blob;
      },
      (error: unknown) => {
        if (!this.latest) return;
        // Over the limit or a full disk: answered now, whatever the rest of the body holds.
        if (error instanceof BlobTooLargeError || isStorageFull(error)) this.fatal(error);
        else this.file.error ??= error as Error;
      },
    );
  }

  write(bytes: Buffer): void | Promise<void> {
    const feed = this.feed;
    if (!feed || feed.destroyed || feed.write(bytes)) return;
    return drained(feed);
  }

  end(): void {
    this.feed?.end();
  }

  fail(reason: 'no-comma' | 'undecodable'): void {
    if (this.latest) this.file.error ??= reason === 'no-comma' ? espoErrors.badFileContents() : espoErrors.couldNotDecode();
    this.feed?.destroy();
  }
}
