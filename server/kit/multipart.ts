import busboy from 'busboy';
import type { NextFunction, Request, Response } from 'express';
import { resolveRef } from '../../lib/openapi/resolve-ref.ts';
import type { OpenApiDocument } from '../../lib/openapi/types.ts';
import { BlobTooLargeError, type StoredBlob } from '../store/blob-store.ts';
import type { ErrorDialect } from './api-error.ts';
import { requestState, type ApiContext } from './server-api.ts';
import { bodyCut, uploadScope } from './upload-scope.ts';

export interface UploadedFile {
  field: string;
  fileName: string;
  mimeType: string;
  blob: StoredBlob;
}

export interface MultipartInfo {
  /** Parts in arrival order, for rules such as Case IQ's "file must be the last field". */
  parts: Array<{ name: string; kind: 'field' | 'file' }>;
  /** Stored files in the order they were sent (e.g. ONLYOFFICE answers with the last one). */
  files: UploadedFile[];
}

declare module 'express-serve-static-core' {
  interface Request {
    multipart?: MultipartInfo;
  }
}

export interface MultipartOptions {
  /** Largest file part, in bytes. */
  maxFileBytes: number;
  /** Largest text field, in bytes. */
  maxFieldBytes?: number;
  maxParts?: number;
}

/**
 * Streams multipart/form-data: each file part goes straight into the blob store (never whole in
 * memory), text fields into req.body. `name[]` fields become the array `name` (the form clients
 * send for repeated values, e.g. Case IQ's bulkTags[]), and a field the operation declares as an
 * array is always an array, even when sent once. For express-openapi-validator, a file part
 * leaves an empty-string placeholder under its field name; a *text* part where the contract
 * wants a binary file is refused here, since EOV would let a string through.
 *
 * Files go through the request's UploadScope: an over-limit part, a failed write (a full disk), a
 * malformed body or a cut connection is answered at once (the rest of the body is drained by the
 * error middleware) and every write in flight stops; stored files no record claims are removed
 * when the request's handling ends.
 */
export function multipartBody(ctx: ApiContext, errors: ErrorDialect, options: MultipartOptions) {
  return function parseMultipart(req: Request, res: Response, next: NextFunction): void {
    if (!req.is('multipart/form-data')) return next();
    const shape = formShape(ctx.contract.doc, res);
    const info: MultipartInfo = { parts: [], files: [] };
    req.multipart = info;
    const body: Record<string, unknown> = {};
    const textParts = new Set<string>();
    const arrivals = new Map<UploadedFile, number>();
    const scope = uploadScope(req, ctx);

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        preservePath: false,
        // Clients send file names as raw UTF-8 (RFC 7578 §4.2); busboy's default reads them as latin1.
        defParamCharset: 'utf8',
        limits: { fileSize: options.maxFileBytes + 1, fieldSize: options.maxFieldBytes ?? 1024 * 1024, parts: options.maxParts ?? 1000 },
      });
    } catch (error) {
      return next(errors.invalidRequest(`Malformed multipart body: ${(error as Error).message}`));
    }

    const pending: Promise<void>[] = [];
    let answered = false;
    /** Refuses the request now: parsing stops, writes in flight stop, the answer goes out. */
    const refuse = (error: unknown) => {
      if (answered) return;
      answered = true;
      req.unpipe(parser);
      scope.stop(error instanceof Error ? error : new Error(String(error)));
      next(error);
    };

    parser.on('field', (rawName, value, meta) => {
      if (answered) return;
      if (meta.valueTruncated) return refuse(errors.payloadTooLarge(`field ${rawName} exceeds the field size limit`));
      const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
      info.parts.push({ name, kind: 'field' });
      textParts.add(name);
      append(body, name, value, rawName.endsWith('[]') || shape.arrays.has(name));
    });
    parser.on('file', (name, stream, meta) => {
      if (answered) return void stream.resume();
      info.parts.push({ name, kind: 'file' });
      const arrival = info.parts.length;
      const upload = scope
        .store(stream, options.maxFileBytes)
        .then((blob) => {
          const file: UploadedFile = { field: name, fileName: meta.filename ?? name, mimeType: meta.mimeType || 'application/octet-stream', blob };
          arrivals.set(file, arrival);
          info.files.push(file);
          append(body, name, '', shape.arrays.has(name));
        })
        .catch((error: unknown) => refuse(error instanceof BlobTooLargeError ? errors.payloadTooLarge(`file ${name} exceeds ${options.maxFileBytes} bytes`) : error));
      pending.push(upload);
    });
    parser.on('partsLimit', () => refuse(errors.payloadTooLarge('too many multipart parts')));
    parser.on('error', (error: Error) => refuse(errors.invalidRequest(`Malformed multipart body: ${error.message}`)));
    parser.on('close', () => {
      void Promise.allSettled(pending).then(() => {
        if (answered) return;
        for (const field of shape.binary) {
          if (textParts.has(field)) return refuse(errors.invalidRequest(`Field ${field} must be a file part, not a text value.`));
        }
        answered = true;
        // Writes finish in any order; handlers get the files in the order they were sent.
        info.files.sort((a, b) => arrivals.get(a)! - arrivals.get(b)!);
        req.body = body;
        next();
      });
    });
    req.once('aborted', () => refuse(scope.stopReason ?? bodyCut(req)));
    req.pipe(parser);
  };
}

function append(body: Record<string, unknown>, name: string, value: string, asArray: boolean): void {
  const current = body[name];
  if (current === undefined) body[name] = asArray ? [value] : value;
  else if (Array.isArray(current)) current.push(value);
  else body[name] = [current, value];
}

/** Which form fields the operation declares as binary files and as arrays. */
function formShape(doc: OpenApiDocument, res: Response): { binary: Set<string>; arrays: Set<string> } {
  const binary = new Set<string>();
  const arrays = new Set<string>();
  const media = requestState(res).operation?.requestBody?.content?.['multipart/form-data'];
  const schema = media?.schema ? resolveRef<Record<string, unknown>>(doc, media.schema as never) : undefined;
  const properties = (schema?.properties ?? {}) as Record<string, unknown>;
  for (const [name, raw] of Object.entries(properties)) {
    const property = resolveRef<Record<string, unknown>>(doc, raw as never);
    if (property.format === 'binary' || property.contentMediaType !== undefined) binary.add(name);
    const type = property.type;
    if (type === 'array' || (Array.isArray(type) && type.includes('array'))) arrays.add(name);
  }
  return { binary, arrays };
}
