import type { NextFunction, Request, Response } from 'express';
import { defaultWorkspace, workspaceNamePattern } from '../store/workspace.ts';

const prefix = /^\/ws\/([^/?]*)(?=[/?]|$)/;

interface WorkspaceRoute {
  name: string;
  /** `/ws/<name>`, or empty for the default workspace: what links the server writes start with. */
  prefix: string;
}

/**
 * `/ws/<name>/<base path>/…` addresses workspace `<name>`: this step takes the prefix off the
 * URL (so each API's routes, its auth and HMAC signatures see the paths they always see) and
 * remembers the workspace for the request. A client only changes its base URL.
 */
export function routeWorkspace(req: Request, res: Response, next: NextFunction): void {
  const m = prefix.exec(req.url);
  if (!m) {
    res.locals.workspaceRoute = { name: defaultWorkspace, prefix: '' } satisfies WorkspaceRoute;
    return next();
  }
  const name = safeDecode(m[1]);
  if (name === undefined || !workspaceNamePattern.test(name)) {
    res.status(404).json({ message: `Workspace names are 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit: ${JSON.stringify(m[1])} is not one.` });
    return;
  }
  res.locals.workspaceRoute = { name, prefix: m[0] } satisfies WorkspaceRoute;
  req.url = req.url.slice(m[0].length) || '/';
  // The request validator matches operations on originalUrl: it must see the path without the
  // prefix too, as behind a proxy that strips it.
  req.originalUrl = req.url;
  next();
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The workspace a request addresses (the default one when routeWorkspace did not run). */
export function workspaceRouteOf(res: Response): WorkspaceRoute {
  return (res.locals.workspaceRoute as WorkspaceRoute | undefined) ?? { name: defaultWorkspace, prefix: '' };
}
