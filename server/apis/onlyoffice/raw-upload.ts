import type { NextFunction, Request, Response } from 'express';
import { BlobTooLargeError } from '../../store/blob-store.ts';
import type { ErrorDialect } from '../../kit/api-error.ts';
import type { UploadedFile } from '../../kit/multipart.ts';
import { requestState, type ApiContext } from '../../kit/server-api.ts';
import { uploadScope } from '../../kit/upload-scope.ts';
import { dispositionFileName } from './file-name.ts';

const uploadOperations = new Set(['uploadCrmFile', 'uploadCrmFileJson']);
/** Bodies ONLYOFFICE parses as parameters, never as the file (see uploadCrmFile). */
const parameterTypes = ['multipart/form-data', 'application/json', 'application/*+json', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded'];
const rawUploads = new WeakMap<Request, UploadedFile>();

/** The file a raw-body upload stored, if the request was one. */
export function rawUploadOf(req: Request): UploadedFile | undefined {
  return rawUploads.get(req);
}

/**
 * The raw-body upload form: the body is the file, named by `Content-Disposition`. The bytes
 * stream straight into the blob store through the request's upload scope, which stops the write
 * on a limit, a full disk or a cut connection; a stored blob no record claims (validation failed,
 * the handler threw) is removed when the request's handling ends, as for multipart.
 */
export function rawUploadBody(ctx: ApiContext, errors: ErrorDialect, options: { maxFileBytes: number }) {
  return function streamRawUpload(req: Request, res: Response, next: NextFunction): void {
    if (!uploadOperations.has(requestState(res).operation.operationId)) return next();
    const fileName = dispositionFileName(req.get('Content-Disposition'));
    if (!fileName || (req.get('Content-Type') !== undefined && req.is(parameterTypes))) return next();
    uploadScope(req, ctx)
      .store(req, options.maxFileBytes)
      .then((blob) => {
        rawUploads.set(req, { field: '', fileName, mimeType: req.get('Content-Type') ?? 'application/octet-stream', blob });
        next();
      })
      .catch((error: unknown) => next(error instanceof BlobTooLargeError ? errors.payloadTooLarge(`The file exceeds ${options.maxFileBytes} bytes.`) : error));
  };
}
