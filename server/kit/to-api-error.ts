import { ApiError, type ErrorDialect } from './api-error.ts';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
  errors?: Array<{ path?: string; message?: string; errorCode?: string }>;
}

/**
 * Turns whatever reached the error middleware (our ApiError, an express-openapi-validator
 * HttpError, a body-parser error, a bug) into the API's own dialect. Nothing escapes as a bare
 * 500 page.
 */
export function toApiError(error: unknown, dialect: ErrorDialect): ApiError {
  if (error instanceof ApiError) return error;
  // decodeURIComponent on a client's path or query: a bad escape is the client's error, not ours.
  if (error instanceof URIError) return dialect.invalidRequest(`Malformed percent-encoding in the URL: ${error.message}`);
  const e = (error ?? {}) as HttpLikeError;
  const status = e.status ?? e.statusCode ?? 500;
  const detail = describe(e);
  if (e.type === 'entity.too.large' || status === 413) return dialect.payloadTooLarge(detail);
  if (status === 415) return dialect.unsupportedMediaType(detail);
  if (status === 401) return dialect.unauthorized(detail, true);
  if (status === 404 || status === 405) return dialect.routeNotFound('', detail);
  if (status >= 400 && status < 500) return dialect.invalidRequest(detail);
  return dialect.internal(detail);
}

function describe(e: HttpLikeError): string {
  if (e.type === 'entity.parse.failed') return 'Malformed JSON body.';
  const items = e.errors ?? [];
  if (items.length <= 1) return e.message ?? items[0]?.message ?? 'Error';
  // EOV's top-level message names only the first violation; with allErrors we report them all.
  return [...new Set(items.map((item) => `request${item.path ?? ''} ${item.message ?? ''}`.trim()))].join('; ');
}
