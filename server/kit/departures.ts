import type { Request, Response } from 'express';
import type { ApiError } from './api-error.ts';
import type { ApiContext } from './server-api.ts';

/** The response header that names every departure the server let through (Prism's `sl-violations` shape). */
export const violationsHeader = 'X-Attachkit-Violations';

/**
 * A request that breaks the contract in a way the vendor tolerates: an unknown query parameter
 * EspoCRM ignores, a form body ONLYOFFICE reads as a form, a text body EspoCRM reads as `{}`.
 */
export interface Departure {
  /** Where in the request, as in Prism's violations: `['request', 'query', 'searchParams']`. */
  location: string[];
  /** What departs from the contract, and what the vendor does with it (naming its source file). */
  message: string;
  /** The refusal `--strict` answers with, in the API's dialect. */
  refusal: () => ApiError;
}

/**
 * Default mode: the request goes on as the vendor would take it, the response carries
 * `X-Attachkit-Violations` (a JSON array of `{location, severity: "Warning", message}`) and the
 * server logs one line. Strict mode (`attachkit serve --strict`): refused in the API's dialect.
 */
export function depart(req: Request, res: Response, ctx: ApiContext, departure: Departure): void {
  if (ctx.config.strict) throw departure.refusal();
  const seen = (res.locals.departures ??= []) as Departure[];
  seen.push(departure);
  const header = seen.map((d) => ({ location: d.location, severity: 'Warning', message: d.message }));
  // Header values must be visible ASCII; messages are ours, but names come from the client.
  res.setHeader(violationsHeader, JSON.stringify(header).replace(/[^\x20-\x7e]/g, '?'));
  ctx.config.log(`[${ctx.api}] ${req.method} ${req.originalUrl}: departs from the contract: ${departure.message} (answered as the vendor would; --strict refuses it)`);
}
