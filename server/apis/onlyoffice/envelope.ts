import type { Response } from 'express';

/**
 * `ApiStandartResponce` as ONLYOFFICE serializes it, in its member order: `count` (collection
 * length, 1 for a single value, omitted for 0 or null), `status` 0 = Ok, `statusCode` repeating
 * the HTTP status, then `response`.
 */
export function sendEnvelope(res: Response, status: number, payload: unknown): void {
  const count = Array.isArray(payload) ? payload.length : payload === null || payload === undefined ? 0 : 1;
  res.status(status).json({ ...(count ? { count } : {}), status: 0, statusCode: status, response: payload });
}
