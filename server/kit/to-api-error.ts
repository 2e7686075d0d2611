import { BlobTooLargeError } from '../store/blob-store.ts';
import { ApiError, ContractViolation, StoredFileDamaged, type ErrorDialect } from './api-error.ts';
import { BodyCutError } from './upload-scope.ts';
import { UnstorableTextError } from '../store/refuse-nul.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';

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
  if (error instanceof BodyCutError) return dialect.invalidRequest(error.reason);
  if (error instanceof BlobTooLargeError) return dialect.payloadTooLarge(`The file exceeds the server's limit of ${error.limit} bytes.`);
  if (isStorageFull(error)) return dialect.insufficientStorage('Insufficient storage: the server has no room left for the file.');
  if (error instanceof StoredFileDamaged) return dialect.internal('The stored file is missing or damaged; it cannot be served.');
  if (error instanceof UnstorableTextError) return dialect.invalidRequest(error.message);
  // PostgreSQL or the object store is down or restarting: the vendor's own answer to a failing
  // backend, its 500; the next request may well succeed.
  if (isStoreUnavailable(error)) return dialect.internal('The store is temporarily unavailable; try again.');
  // decodeURIComponent on a client's path or query: a bad escape is the client's error, not ours.
  if (error instanceof URIError) return dialect.invalidRequest(`Malformed percent-encoding in the URL: ${error.message}`);
  const e = (error ?? {}) as HttpLikeError;
  const status = e.status ?? e.statusCode ?? 500;
  const detail = describe(e);
  if (e.type === 'entity.too.large' || status === 413) return dialect.payloadTooLarge('The request body is over the limit of this operation.');
  if (status === 415) return dialect.unsupportedMediaType(detail);
  if (status === 401) return dialect.unauthorized(detail, true);
  if (status === 404 || status === 405) return dialect.routeNotFound('', detail);
  if (status >= 400 && status < 500) return dialect.invalidRequest(detail);
  // A response that breaks the contract (EOV lists the violations): worth showing, names no path.
  if (Array.isArray(e.errors) || error instanceof ContractViolation) return dialect.internal(detail);
  // A crash's message can name server paths (ENOENT … '/data/files/…'): the client gets its code only;
  // the error middleware logs the whole error.
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? ` (${(error as { code: string }).code})` : '';
  return dialect.internal(`Internal server error${code}.`);
}

/** The disk (or the database on it) is full. */
export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

function describe(e: HttpLikeError): string {
  if (e.type === 'entity.parse.failed') return 'Malformed JSON body.';
  if (e.type === 'request.aborted') return 'The request body was cut off before its end.';
  const items = e.errors ?? [];
  if (items.length <= 1) return e.message ?? items[0]?.message ?? 'Error';
  // EOV's top-level message names only the first violation; with allErrors we report them all.
  return [...new Set(items.map((item) => `request${item.path ?? ''} ${item.message ?? ''}`.trim()))].join('; ');
}
