import type { NextFunction, Request, Response } from 'express';
import type { ApiContext, Fault, Middleware } from '../../kit/server-api.ts';

/**
 * Deliberate contract violations for mutation testing (`attachkit serve --fault onlyoffice.<id>`).
 * Each is a bug a real deployment or a careless reimplementation could have; the conformance
 * suite must exit 1 with any one of them on.
 */
export const faults: Fault[] = [
  // Response shape: rewritten in one place, `rewriteResponses` below.
  { id: 'pascal-case-keys', description: 'the envelope and payload use PascalCase keys, as the docs site renders them' },
  { id: 'no-envelope', description: 'responses are the bare payload, without {count, status, statusCode, response}' },
  { id: 'count-always-one', description: 'the envelope count is 1 whatever the collection length' },
  { id: 'status-code-mismatch', description: "the envelope's statusCode says 200 when the HTTP status is 201" },
  { id: 'created-as-200', description: 'creates answer 200 instead of 201 Created' },
  { id: 'plain-json-errors', description: 'errors come back as {"message": …} instead of the error envelope' },
  { id: 'unauthorized-as-json', description: 'the 401 is a JSON envelope instead of the plain text Unauthorized' },
  // Authentication (auth.ts)
  { id: 'any-token-accepted', description: 'any Authorization token or asc_auth_key cookie is accepted' },
  { id: 'bearer-refused', description: 'Authorization: Bearer <token> is refused (the prefix is not stripped)' },
  { id: 'list-without-auth', description: "listing an entity's files needs no credentials" },
  // Behaviour (handlers/crm-files.ts)
  { id: 'upload-attaches', description: 'uploading also attaches the file to the entity in the path' },
  { id: 'attach-ignores-files', description: 'attaching creates the event but tags no file with it' },
  { id: 'attach-duplicates-files', description: "the attach event's files list repeats every file" },
  { id: 'delete-leaves-listed', description: 'deleting answers 200 but the file stays listed and downloadable' },
  { id: 'unknown-entity-accepted', description: 'attaching to an entity that does not exist succeeds instead of 404' },
  { id: 'unknown-fileids-refused', description: 'an id in fileids that names no file is refused instead of skipped' },
  { id: 'missing-fileids-refused', description: 'a body without fileids is refused with 400 instead of creating an empty event' },
  // The kit's download faults (send-stored-file.ts)
  { id: 'truncated-download', description: 'downloads stop after half the bytes (Content-Length agrees with the short body)' },
  { id: 'download-without-disposition', description: 'downloads omit Content-Disposition' },
];

const responseFaults = ['pascal-case-keys', 'no-envelope', 'count-always-one', 'status-code-mismatch', 'created-as-200', 'plain-json-errors', 'unauthorized-as-json'];

/** The response-shape faults wrap `res.end`, so handlers stay unaware of them. */
export function faultMiddleware(ctx: ApiContext): Middleware[] {
  const active = new Set(responseFaults.filter((id) => ctx.faults.has(id)));
  return active.size ? [rewriteResponses(active)] : [];
}

function rewriteResponses(active: ReadonlySet<string>): Middleware {
  return function rewriteJsonResponses(req: Request, res: Response, next: NextFunction) {
    const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => Response;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      const rewritten = chunk === undefined || typeof chunk === 'function' ? undefined : rewrite(req, res, chunk, active);
      if (rewritten === undefined) return end(chunk, ...rest);
      res.removeHeader('ETag');
      res.setHeader('Content-Length', String(Buffer.byteLength(rewritten)));
      return end(rewritten);
    }) as Response['end'];
    next();
  };
}

function rewrite(req: Request, res: Response, chunk: unknown, active: ReadonlySet<string>): string | undefined {
  const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
  if (res.statusCode === 401 && active.has('unauthorized-as-json')) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    return JSON.stringify({ status: 1, statusCode: 401, error: { message: text } });
  }
  if (!String(res.getHeader('Content-Type') ?? '').includes('json')) return undefined;
  let body = JSON.parse(text) as Record<string, unknown>;
  if (body.status === 0) body = rewriteSuccess(req, res, body, active);
  else if (active.has('plain-json-errors')) body = { message: (body.error as { message?: string } | undefined)?.message };
  return JSON.stringify(active.has('pascal-case-keys') ? pascalCase(body) : body);
}

function rewriteSuccess(req: Request, res: Response, body: Record<string, unknown>, active: ReadonlySet<string>): Record<string, unknown> {
  const out = { ...body };
  if (active.has('created-as-200') && req.method === 'POST' && res.statusCode === 201) {
    res.statusCode = 200;
    out.statusCode = 200;
  }
  if (active.has('status-code-mismatch')) out.statusCode = 200;
  if (active.has('count-always-one')) out.count = 1;
  return active.has('no-envelope') ? (out.response as Record<string, unknown>) : out;
}

function pascalCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.charAt(0).toUpperCase() + key.slice(1), pascalCase(inner)]));
}
