import type { NextFunction, Request, Response } from 'express';
import { requestState } from '../../kit/server-api.ts';
import { onlyofficeErrors } from './errors.ts';

/**
 * ONLYOFFICE's routes constrain their segments (`{entityType:(contact|opportunity|case)}`,
 * `{entityid:[0-9]+}`, `{fileid:[0-9]+}`); a path that breaks a constraint matches no method
 * and is a 404, not a validation 400. Our contract index matches any segment, so this runs
 * before request validation and answers those paths as ONLYOFFICE does.
 */
const constraints: Record<string, RegExp> = {
  entityType: /^(contact|opportunity|case)$/,
  entityid: /^[0-9]+$/,
  fileid: /^[0-9]+$/,
};

export function enforceRouteConstraints(_req: Request, res: Response, next: NextFunction): void {
  const { params } = requestState(res);
  for (const [name, pattern] of Object.entries(constraints)) {
    if (params[name] !== undefined && !pattern.test(params[name])) return next(onlyofficeErrors.methodNotFound());
  }
  next();
}
