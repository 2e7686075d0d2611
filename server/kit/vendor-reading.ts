import type { NextFunction, Request, Response } from 'express';
import { hasBody } from './body-reading.ts';
import { depart } from './departures.ts';
import { dialectOf, requestState, type ApiContext, type ServerApi } from './server-api.ts';

/**
 * Pipeline steps that make the reference server read and answer requests as the vendor does where
 * Express or the validator would otherwise differ. Each departure from the contract they let
 * through is reported (see departures.ts) and refused under `--strict`.
 */

/** JSON answers carry the vendor's exact Content-Type (every writer goes through setHeader). */
export function answerJsonAsVendor(mediaType: string) {
  return function answerJsonAsVendor(_req: Request, res: Response, next: NextFunction): void {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) =>
      setHeader(name, name.toLowerCase() === 'content-type' && typeof value === 'string' && /^application\/json\s*(;|$)/i.test(value) ? mediaType : value);
    next();
  };
}

/**
 * Query parameters the operation does not declare are dropped before validation when the vendor
 * ignores them (`ServerApi.ignoresUnknownQueryParameters`). `where[0][type]` counts as `where`.
 */
export function readQueryAsVendor(api: ServerApi, ctx: ApiContext) {
  const why = api.ignoresUnknownQueryParameters;
  return function readQueryAsVendor(req: Request, res: Response, next: NextFunction): void {
    const mark = req.url.indexOf('?');
    if (!why || mark < 0) return next();
    const { operation } = requestState(res);
    const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    const pairs = req.url.slice(mark + 1).split('&');
    const kept = pairs.filter((pair) => {
      if (pair === '') return false;
      const name = baseName(pair);
      if (declared.has(name)) return true;
      depart(req, res, ctx, {
        location: ['request', 'query', name],
        message: `Unknown query parameter '${name}', ignored: ${why}`,
        refusal: () => dialectOf(api, req, ctx).invalidRequest(`Unknown query parameter '${name}'`),
      });
      return false;
    });
    if (kept.length !== pairs.length) {
      const query = kept.length ? `?${kept.join('&')}` : '';
      req.url = req.url.slice(0, mark) + query;
      const originalMark = req.originalUrl.indexOf('?');
      req.originalUrl = (originalMark < 0 ? req.originalUrl : req.originalUrl.slice(0, originalMark)) + query;
    }
    next();
  };
}

function baseName(pair: string): string {
  const raw = pair.split('=')[0];
  let name: string;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    name = raw;
  }
  const bracket = name.indexOf('[');
  return bracket > 0 ? name.slice(0, bracket) : name;
}

/**
 * A body whose media type the operation does not declare (or a required body that is missing) is
 * read as the vendor reads it (`ServerApi.readUndeclaredBody`), then shown to the validator as the
 * declared media type it stands for. APIs without that hook leave it to the validator (415).
 */
export function readBodyAsVendor(api: ServerApi, ctx: ApiContext) {
  return function readBodyAsVendor(req: Request, res: Response, next: NextFunction): void {
    const { operation } = requestState(res);
    const content = operation.requestBody?.content;
    if (!api.readUndeclaredBody || !content) return next();
    const sentBody = hasBody(req);
    const mediaType = (req.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
    if (sentBody ? Object.keys(content).some((declared) => mediaTypeMatches(declared, mediaType)) : !operation.requestBody?.required) return next();
    const read = api.readUndeclaredBody(req, operation, sentBody ? mediaType : '');
    if (!read) return next();
    const sent = sentBody ? `a ${mediaType || 'typeless'} body` : 'no body';
    depart(req, res, ctx, {
      location: ['request', 'body'],
      message: `${sent} where the contract declares ${Object.keys(content).join(' or ')}: ${read.message}`,
      refusal: () => dialectOf(api, req, ctx).unsupportedMediaType(`${sent[0].toUpperCase()}${sent.slice(1)}: the contract declares ${Object.keys(content).join(' or ')}.`),
    });
    req.body = read.body;
    req.headers['content-type'] = read.mediaType;
    next();
  };
}

// A declared media type (any-type wildcard, a type wildcard such as text/*, or exact) against the request's.
function mediaTypeMatches(declared: string, actual: string): boolean {
  const pattern = declared.split(';')[0].trim().toLowerCase();
  if (pattern === '*/*') return true;
  if (pattern.endsWith('/*')) return actual.startsWith(pattern.slice(0, -1));
  return pattern === actual;
}
