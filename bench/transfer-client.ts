/**
 * One big transfer, run as its own short-lived process by transfers.ts:
 *   node --import tsx bench/transfer-client.ts '<JSON TransferJob>'
 * prints a JSON TransferOutcome on stdout. A fresh process keeps the client's heap small and its
 * event loop to itself: in the long-lived bench process (autocannon loaded, results kept), V8's
 * garbage collector ran often enough to make the client, not the server, the bottleneck.
 */
import { dataUrlJsonBody, multipartBody, streamedBody, type StreamedBody } from './big-file.ts';
import { download, upload } from './http-client.ts';

export type TransferJob =
  | { kind: 'upload'; url: string; headers: Record<string, string>; body: BodySpec }
  | { kind: 'download'; url: string; headers: Record<string, string> };

export type BodySpec =
  | { type: 'raw'; size: number }
  | { type: 'multipart'; size: number; fields: Record<string, string>; field: string; fileName: string }
  | { type: 'data-url-json'; size: number; attributes: Record<string, unknown>; mimeType: string };

export interface TransferOutcome {
  status: number;
  seconds: number;
  /** Upload: the answer, parsed when JSON. */
  answer?: unknown;
  /** Upload: bytes on the wire; download: bytes received. */
  bytes: number;
  /** sha256 of the file bytes sent, or of the bytes received. */
  sha256: string;
  /** Download: the response headers. */
  headers?: Record<string, string | string[] | undefined>;
}

function bodyOf(spec: BodySpec): { body: StreamedBody; contentType?: string } {
  if (spec.type === 'raw') return { body: streamedBody({ size: spec.size }), contentType: 'application/octet-stream' };
  if (spec.type === 'multipart') {
    const form = multipartBody(spec.fields, { field: spec.field, fileName: spec.fileName, size: spec.size });
    return { body: form, contentType: form.contentType };
  }
  return { body: dataUrlJsonBody(spec.attributes, { mimeType: spec.mimeType, size: spec.size }), contentType: 'application/json' };
}

async function run(job: TransferJob): Promise<TransferOutcome> {
  if (job.kind === 'download') {
    const d = await download(job.url, job.headers);
    return { status: d.status, seconds: d.seconds, bytes: d.bytes, sha256: d.sha256, headers: d.headers };
  }
  const { body, contentType } = bodyOf(job.body);
  const headers = contentType ? { 'Content-Type': contentType, ...job.headers } : job.headers;
  const u = await upload(job.url, headers, body);
  let sha256 = '';
  try {
    sha256 = body.fileSha256();
  } catch {
    // the server answered before the whole body was sent
  }
  return { status: u.status, seconds: u.seconds, answer: u.answer, bytes: body.length, sha256 };
}

run(JSON.parse(process.argv[2]) as TransferJob).then(
  (outcome) => process.stdout.write(JSON.stringify(outcome)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
