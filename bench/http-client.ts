import { createHash } from 'node:crypto';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { StreamedBody } from './big-file.ts';

/**
 * The client of the big transfers, the same code for the reference server and the bare baseline:
 * one fresh connection, the body streamed with its Content-Length, timed from the first byte
 * sent to the last byte of the answer.
 */
export interface UploadResult {
  status: number;
  seconds: number;
  /** The answer, parsed as JSON when it is JSON. */
  answer: unknown;
}

export async function upload(url: string, headers: Record<string, string>, body: StreamedBody): Promise<UploadResult> {
  const started = process.hrtime.bigint();
  const request = http.request(url, { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': String(body.length) } });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // A server may answer (an error) before the whole body is sent; the answer is what counts.
  const sent = pipeline(body.stream, request).catch(() => undefined);
  const response = await answered;
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await sent;
  const text = Buffer.concat(chunks).toString();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode ?? 0, seconds, answer };
}

export interface DownloadResult {
  status: number;
  seconds: number;
  bytes: number;
  sha256: string;
  headers: http.IncomingHttpHeaders;
}

/** GET, hashing the body as it arrives (nothing is kept). */
export async function download(url: string, headers: Record<string, string>): Promise<DownloadResult> {
  const started = process.hrtime.bigint();
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.get(url, { agent: false, headers }, resolve);
    request.once('error', reject);
  });
  const hash = createHash('sha256');
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    response.once('end', resolve);
    response.once('error', reject);
    response.once('aborted', () => reject(new Error(`download from ${url} aborted after ${bytes} bytes`)));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { status: response.statusCode ?? 0, seconds, bytes, sha256: hash.digest('hex'), headers: response.headers };
}

/** A small JSON request (tokens, seeding), with its answer parsed. */
export async function requestJson(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; body: unknown }> {
  const payload = typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body);
  const response = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: payload });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}
