import type { Response } from 'express';
import fsp from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { contentDisposition } from './content-disposition.ts';
import { requestState, type ApiContext } from './server-api.ts';

export interface StoredFile {
  blobKey: string;
  size: number;
  contentType: string | null | undefined;
  fileName: string;
}

/**
 * Streams a stored file with the headers the contract documents. express-openapi-validator only
 * validates JSON responses, so every binary response goes through here and is checked against
 * the operation's documented required headers before the first byte is sent.
 */
export async function sendStoredFile(res: Response, ctx: ApiContext, file: StoredFile): Promise<void> {
  let size = file.size;
  // Fault: the server stops after half the bytes yet reports that length as the whole file.
  if (ctx.faults.has('truncated-download')) size = Math.floor(size / 2);
  res.status(200);
  res.setHeader('Content-Type', file.contentType || 'application/octet-stream');
  res.setHeader('Content-Length', String(size));
  if (!ctx.faults.has('download-without-disposition')) res.setHeader('Content-Disposition', contentDisposition(file.fileName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (!ctx.faults.has('download-without-disposition')) assertDocumentedHeaders(res);
  if (size === 0) {
    res.end();
    return;
  }
  await writeFileRange(res, ctx.store.blobs.pathOf(file.blobKey), 0, size - 1);
}

const chunkBytes = 1024 * 1024;
const buffersPerResponse = 4;

/**
 * Writes bytes start..end of a file to the response through a few buffers, each reused once the
 * socket has taken it (so at most 4 MiB is in flight). A read stream allocates a new buffer per
 * chunk; in this process that churn made V8 run a full mark-compact about every 100 ms of a large
 * download (npm run bench, node --trace-gc).
 */
async function writeFileRange(res: Response, file: string, start: number, end: number): Promise<void> {
  const length = end - start + 1;
  const bufferBytes = Math.min(chunkBytes, length);
  const free = Array.from({ length: Math.min(buffersPerResponse, Math.ceil(length / bufferBytes)) }, () => Buffer.allocUnsafeSlow(bufferBytes));
  let wake = () => {};
  const onClose = () => wake();
  res.on('close', onClose);
  const handle = await fsp.open(file, 'r');
  try {
    for (let position = start; position <= end; ) {
      while (!free.length && !res.destroyed) await new Promise<void>((resolve) => (wake = resolve));
      if (res.destroyed) throw new Error('the connection closed before the whole file was sent');
      const buffer = free.pop()!;
      const { bytesRead } = await handle.read(buffer, 0, Math.min(bufferBytes, end - position + 1), position);
      if (bytesRead === 0) throw new Error(`${file} ended at byte ${position}, before byte ${end}`);
      position += bytesRead;
      res.write(buffer.subarray(0, bytesRead), () => {
        free.push(buffer);
        wake();
      });
    }
    res.end();
    await finished(res);
  } finally {
    res.off('close', onClose);
    await handle.close();
  }
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
    throw new Error(`response to ${operation.operationId} lacks documented header(s): ${missing.join(', ')}`);
  }
}
