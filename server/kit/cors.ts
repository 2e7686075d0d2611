import type { NextFunction, Request, Response } from 'express';
import type { OperationIndex } from '../../lib/openapi/operation-index.ts';
import { violationsHeader } from './departures.ts';

/**
 * Origins a browser app may call the reference server from: `'*'` for any (the default, as Prism
 * does for its mock), a list of exact origins, or none (no CORS headers at all).
 */
export type CorsOrigins = '*' | readonly string[];

/** Parses `--cors-origin`: `*`, `none`, or a comma-separated list of origins (`https://app.example.com`). */
export function parseCorsOrigins(value: string): CorsOrigins {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  if (trimmed === 'none' || trimmed === '') return [];
  const origins = trimmed.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`'${origin}' is not an origin (scheme://host[:port])`);
    }
    if (parsed.origin !== origin.replace(/\/$/, '')) throw new Error(`'${origin}' is not an origin (scheme://host[:port], no path)`);
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

/**
 * Response headers a browser script may read: every header the mounted contracts document
 * (EspoCRM's X-Status-Reason, ONLYOFFICE's Location and ETag, the downloads' Content-Disposition
 * …), plus Content-Length, which downloads need for progress, and the server's own warning header
 * naming departures from the contract. Content-Type is safelisted anyway.
 */
export function exposedHeaders(contracts: OperationIndex[]): string[] {
  const names = new Map<string, string>([
    ['content-length', 'Content-Length'],
    ['content-disposition', 'Content-Disposition'],
    [violationsHeader.toLowerCase(), violationsHeader],
  ]);
  for (const contract of contracts) {
    for (const operation of contract.operations) {
      for (const response of Object.values(operation.responses)) {
        for (const name of Object.keys(response.headers ?? {})) names.set(name.toLowerCase(), name);
      }
    }
  }
  return [...names.values()].sort();
}

/**
 * CORS for browser apps served from another origin. It runs before every API's pipeline, so a
 * preflight is answered (204) before authentication: browsers send preflights without
 * credentials. The request's origin is echoed rather than `*`, with credentials allowed, so a
 * cookie-authenticated call (ONLYOFFICE's asc_auth_key) works too.
 */
export function corsMiddleware(origins: CorsOrigins, exposed: string[]) {
  const allowed = (origin: string) => origins === '*' || origins.includes(origin);
  const expose = exposed.join(', ');
  return function answerCors(req: Request, res: Response, next: NextFunction) {
    if (origins !== '*' && !origins.length) return next();
    res.vary('Origin');
    const origin = req.get('Origin');
    if (!origin || !allowed(origin)) return next();
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Allow-Credentials', 'true');
    const method = req.get('Access-Control-Request-Method');
    if (req.method === 'OPTIONS' && method) {
      res.vary('Access-Control-Request-Headers');
      res.set('Access-Control-Allow-Methods', method.toUpperCase());
      const headers = req.get('Access-Control-Request-Headers');
      if (headers) res.set('Access-Control-Allow-Headers', headers);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).set('Content-Length', '0').end();
      return;
    }
    res.set('Access-Control-Expose-Headers', expose);
    next();
  };
}
