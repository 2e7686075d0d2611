import type { Response } from 'express';
import type { ApiError } from './api-error.ts';

/**
 * Writes a dialect error verbatim. Uses `res.end` rather than `res.json` on purpose: EOV hooks
 * `res.json` for response validation, and a validation failure raised from inside the error
 * middleware would have nowhere left to go.
 */
export function writeError(res: Response, error: ApiError): void {
  const { status, headers = {}, body, contentType } = error.response;
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined) {
    res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.setHeader('Content-Type', contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'));
  res.setHeader('Content-Length', String(Buffer.byteLength(text)));
  res.end(text);
}
