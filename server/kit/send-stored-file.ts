import type { Response } from 'express';
import { finished } from 'node:stream/promises';
import { contentDisposition } from './content-disposition.ts';
import { requestState, type ApiContext } from './server-api.ts';
import { BlobStoreUnavailableError } from '../store/blob-store.ts';
import { ContractViolation, StoredFileDamaged } from './api-error.ts';

export interface StoredFile {
  blobKey: string;
  /** Blobs whose bytes, one after the other, are the file (default: `blobKey` alone). */
  parts?: string[];
  contentType: string | null | undefined;
  fileName: string;
}

/**
 * Streams a stored file with the headers the contract documents. express-openapi-validator only
 * validates JSON responses, so every binary response goes through here and is checked against
 * the operation's documented required headers before the first byte is sent.
 */
export async function sendStoredFile(res: Response, ctx: ApiContext, file: StoredFile): Promise<void> {
  const parts = file.parts ?? [file.blobKey];
  const sizes = await Promise.all(parts.map((key) => verifiedSize(ctx, key)));
  let size = sizes.reduce((sum, n) => sum + n, 0);
  // Fault: the server stops after half the bytes yet reports that length as the whole file.
  if (ctx.faults.has('truncated-download')) size = Math.floor(size / 2);
  res.status(200);
  // A stored type that cannot be a header value (stored before it was refused) is not served.
  res.setHeader('Content-Type', file.contentType && /^[\x20-\x7e]+$/.test(file.contentType) ? file.contentType : 'application/octet-stream');
  res.setHeader('Content-Length', String(size));
  if (!ctx.faults.has('download-without-disposition')) res.setHeader('Content-Disposition', contentDisposition(file.fileName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (!ctx.faults.has('download-without-disposition')) assertDocumentedHeaders(res);
  if (size === 0) {
    res.end();
    return;
  }
  for (let i = 0, offset = 0; i < parts.length && offset < size; offset += sizes[i], i++) {
    if (sizes[i] > 0) await ctx.store.blobs.copyTo(parts[i], { start: 0, end: Math.min(sizes[i], size - offset) - 1 }, res);
  }
  res.end();
  await finished(res);
}

/**
 * The blob's size, checked against the size it was stored with: a blob truncated, grown or removed
 * behind the server's back is refused before the status line, never served as a 200 of the wrong
 * length.
 */
async function verifiedSize(ctx: ApiContext, key: string): Promise<number> {
  const registered = await ctx.store.blobInfo(key);
  let actual: number;
  try {
    actual = await ctx.store.blobs.sizeOf(key);
  } catch (error) {
    if (error instanceof BlobStoreUnavailableError) throw error;
    throw new StoredFileDamaged(`blob ${key} cannot be read: ${(error as Error).message}`);
  }
  if (!registered || registered.size !== actual) throw new StoredFileDamaged(`blob ${key} has ${actual} bytes, stored with ${registered?.size}`);
  return actual;
}

/**
 * Throws when a header the contract marks required is missing: a bug in our handler, which the
 * error middleware logs and answers as the dialect's 500.
 */
export function assertDocumentedHeaders(res: Response): void {
  const { operation } = requestState(res);
  const documented = operation.responses[String(res.statusCode)] ?? operation.responses[`${String(res.statusCode)[0]}XX`];
  const missing = Object.entries(documented?.headers ?? {})
    .filter(([, header]) => 'required' in header && header.required)
    .map(([name]) => name)
    .filter((name) => res.getHeader(name) === undefined);
  if (missing.length) {
    throw new ContractViolation(`response to ${operation.operationId} lacks documented header(s): ${missing.join(', ')}`);
  }
}
