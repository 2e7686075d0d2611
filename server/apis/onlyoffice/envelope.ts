import type { Response } from 'express';

/**
 * `ApiStandartResponce` as ONLYOFFICE serializes it, in its member order: `count` (collection
 * length, 1 for a single value, omitted for 0 or null), for lists `startIndex`, `nextIndex` and
 * `total` (each omitted when 0 or unset), `status` 0 = Ok, `statusCode` repeating the HTTP
 * status, then `response`.
 */
export function sendEnvelope(res: Response, status: number, payload: unknown, paging: { startIndex?: number; nextIndex?: number; total?: number } = {}): void {
  const count = Array.isArray(payload) ? payload.length : payload === null || payload === undefined ? 0 : 1;
  const { startIndex, nextIndex, total } = paging;
  res.status(status).json({
    ...(count ? { count } : {}),
    ...(startIndex ? { startIndex } : {}),
    ...(nextIndex ? { nextIndex } : {}),
    ...(total ? { total } : {}),
    status: 0,
    statusCode: status,
    response: payload,
  });
}
