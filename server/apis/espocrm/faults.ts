import type { NextFunction, Request, Response } from 'express';
import type { ApiContext, Fault, Middleware } from '../../kit/server-api.ts';

/**
 * Deliberate contract violations for mutation testing (`attachkit serve --fault espocrm.<id>`).
 * Each is a bug a real deployment could have; the conformance suite must catch every one.
 */
export const faults: Fault[] = [
  { id: 'truncated-download', description: 'downloads stop after half the bytes (Content-Length agrees with the short body)' },
  { id: 'download-without-disposition', description: 'downloads omit Content-Disposition' },
  { id: 'declared-size-kept', description: 'the declared size is stored instead of the real byte length' },
  { id: 'replaced-file-kept', description: "replacing a Document's file does not delete the old attachment" },
  { id: 'note-put-appends', description: 'PUT Note adds to attachmentsIds instead of replacing the list' },
  { id: 'create-answers-201', description: 'creates answer 201 Created, which EspoCRM never sends' },
  { id: 'download-unauthenticated', description: 'GET Attachment/file/{id} is served without credentials' },
  { id: 'any-api-key-accepted', description: 'any X-Api-Key value is accepted' },
  { id: 'status-reason-stripped', description: 'a proxy strips X-Status-Reason from error responses' },
  { id: 'html-error-pages', description: 'errors come back as HTML pages instead of EspoCRM bodies' },
  { id: 'link-check-skipped', description: 'fileId/attachmentsIds naming no attachment are accepted' },
  { id: 'chunk-overwrites', description: 'each chunk replaces the stored bytes instead of appending' },
  { id: 'size-limit-ignored', description: 'a declared size over attachmentUploadMaxSize is accepted' },
  { id: 'accept-list-ignored', description: "Document.file accepts any file type, ignoring the field's accept list" },
  { id: 'missing-record-500', description: 'reading an unknown attachment crashes with 500 instead of 404' },
];

/** Deployment-level faults: they wrap the response, so no handler knows about them. */
export function faultMiddleware(ctx: ApiContext): Middleware[] {
  const steps: Middleware[] = [];
  if (ctx.faults.has('create-answers-201')) {
    steps.push(function answerCreatesWith201(req: Request, res: Response, next: NextFunction) {
      const status = res.status.bind(res);
      const creates = req.method === 'POST' && !req.path.includes('/chunk/');
      res.status = (code: number) => status(creates && code === 200 ? 201 : code);
      next();
    });
  }
  if (ctx.faults.has('status-reason-stripped')) {
    steps.push(function stripStatusReason(_req: Request, res: Response, next: NextFunction) {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = ((name: string, value: string | number | readonly string[]) =>
        name.toLowerCase() === 'x-status-reason' ? res : setHeader(name, value)) as Response['setHeader'];
      next();
    });
  }
  if (ctx.faults.has('html-error-pages')) {
    steps.push(function htmlErrorPages(_req: Request, res: Response, next: NextFunction) {
      const end = res.end.bind(res) as (chunk?: unknown) => Response;
      res.end = ((chunk?: unknown) => {
        if (res.statusCode < 400 || res.statusCode === 401 || res.headersSent) return end(chunk);
        const page = `<h1>${res.statusCode} Error</h1>`;
        res.setHeader('Content-Type', 'text/html');
        res.setHeader('Content-Length', String(Buffer.byteLength(page)));
        return end(page);
      }) as Response['end'];
      next();
    });
  }
  return steps;
}
