import type { NextFunction, Request, Response } from 'express';
import { hasBody } from './body-reading.ts';
import { bodyCut } from './upload-scope.ts';

export interface JsonBodyOptions {
  /** Largest body, in bytes: refused as soon as it is passed, not after the whole body arrived. */
  limit: number;
  /** Deepest nesting of arrays and objects (PHP's json_decode stops at 512, Json.NET at 64). */
  maxDepth: number;
  /** Which requests it reads; default: `application/json` and `application/*+json`. */
  type?: (req: Request) => boolean;
}

/** An error shaped like body-parser's, so the error middleware maps it to the dialect as before. */
function httpError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, type, expose: true });
}

/**
 * JSON bodies of any top-level type (EspoCRM's chunk endpoint takes a bare JSON string), as
 * express.json reads them, with two differences that keep one request from taking the server:
 * a body over the limit is refused at once (body-parser first reads the whole body, however large
 * or slow, before answering), and nesting deeper than `maxDepth` is refused rather than parsed into
 * structures that later overflow the stack.
 */
export function jsonBody(options: JsonBodyOptions) {
  return function readJsonBody(req: Request, res: Response, next: NextFunction): void {
    const isJson = options.type ? options.type(req) : Boolean(req.is(['application/json', 'application/*+json']));
    if (req.body !== undefined || !isJson || !hasBody(req)) return next();
    const charset = /;\s*charset=["']?([^"';\s]+)/i.exec(req.get('Content-Type') ?? '')?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') return next(httpError(415, 'charset.unsupported', `unsupported charset "${charset.toUpperCase()}"`));
    const limit = options.limit;
    const declared = Number(req.get('Content-Length'));
    if (declared > limit) return next(httpError(413, 'entity.too.large', 'request entity too large'));
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      next(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return finish(httpError(413, 'entity.too.large', 'request entity too large'));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (done) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        req.body = {};
        return finish();
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return finish(httpError(400, 'entity.parse.failed', 'Malformed JSON body.'));
      }
      if (jsonDepth(body) > options.maxDepth) return finish(httpError(400, 'entity.parse.failed', `JSON nested deeper than ${options.maxDepth} levels.`));
      req.body = body;
      finish();
    });
    req.once('aborted', () => finish(bodyCut(req)));
  };
}

/** Nesting depth of a parsed JSON value (a scalar is 0), counted without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Array.isArray(item) ? item : Object.values(item)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}
