import type { Request } from 'express';
import { ApiError, type ErrorDialect } from '../../kit/api-error.ts';

/**
 * Case IQ speaks two error dialects, and the reference server answers each request in the one
 * its service uses: the authorization service (`/auth`) answers OAuth2 bodies, the public API
 * (`/api-public/1.0`) Case IQ's own shape. The choice is made from the mount the request
 * arrived on (`req.baseUrl`), so the framework's own failures (validation, malformed JSON,
 * unknown route) come out in the right dialect too.
 */
export const authMount = '/auth';

/** `message` codes by status (Case IQ "API Error Handling"). */
const codes: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  501: 'NOT_IMPLEMENTED',
};

/** `{name, httpstatus, meta: {message}, message: CODE}`. */
function caseIqError(status: number, detail: string): ApiError {
  return new ApiError({ status, body: { name: 'SERVICE_ACCOUNT_ERROR', httpstatus: status, meta: { message: detail }, message: codes[status] } }, detail);
}

/** RFC 6749 §5.2 body. */
function oauthError(status: number, error: string, description?: string): ApiError {
  const body = description === undefined ? { error } : { error, error_description: description };
  return new ApiError({ status, body }, description ?? error);
}

export const caseIqErrors = {
  missingToken: () => caseIqError(401, 'Access token is missing'),
  invalidToken: () => caseIqError(401, 'Access token is invalid'),
  expiredToken: () => caseIqError(401, 'Access token has expired'),

  fileNotLast: () => caseIqError(400, 'file must be the last field in the body'),
  missingFile: () => caseIqError(400, 'file is required'),
  missingCaseId: () => caseIqError(400, 'caseId is required'),
  invalidCaseId: () => caseIqError(400, 'caseId must be a UUID'),
  caseNotFound: () => caseIqError(404, 'Case not found'),

  invalidLimit: () => caseIqError(400, 'limit must be an integer between 1 and 100'),
  invalidCursor: (parameter: string, sort: string) => caseIqError(400, `${parameter} is not a valid ${sort} value`),
  repeatedParameter: (name: string) => caseIqError(400, `${name} must be given once`),
  invalidRequest: (detail: string) => caseIqError(400, detail),
  invalidId: () => caseIqError(400, 'id must be a UUID'),
  attachmentNotFound: () => caseIqError(404, 'Attachment not found'),
};

export const caseIqDialect: ErrorDialect = {
  unauthorized: (_detail, hadCredentials) => (hadCredentials ? caseIqErrors.invalidToken() : caseIqErrors.missingToken()),
  routeNotFound: (method, path) => caseIqError(404, `Cannot ${method} ${path}`.trim()),
  invalidRequest: (detail) => caseIqError(400, detail),
  // Case IQ documents no 413; an oversize file is a bad request like any other refused part.
  payloadTooLarge: (detail) => caseIqError(400, detail),
  unsupportedMediaType: (detail) => caseIqError(400, detail),
  notImplemented: (operationId) => caseIqError(501, `attachkit: operation ${operationId} is not implemented`),
  internal: (detail) => caseIqError(500, detail),
  insufficientStorage: (detail) => caseIqError(500, detail),
};

export const oauthErrors = {
  unsupportedGrantType: () => oauthError(501, 'unsupported_grant_type'),
  invalidClient: () => oauthError(401, 'invalid_client'),
  scopeNotSupported: () => oauthError(400, 'invalid_scope', 'Scope is not supported'),
  ttlTooLarge: (ttl: unknown) => oauthError(400, 'invalid_request', `Requested ttl of ${String(ttl)} is greater than the maximum value 3600`),
  ttlNotPositive: (ttl: unknown) => oauthError(400, 'invalid_request', `Requested ttl of ${String(ttl)} must be greater than 0`),
};

export const oauthDialect: ErrorDialect = {
  unauthorized: () => oauthErrors.invalidClient(),
  routeNotFound: (method, path) => oauthError(404, 'not_found', `Cannot ${method} ${path}`.trim()),
  invalidRequest: (detail) => oauthError(400, 'invalid_request', detail),
  payloadTooLarge: (detail) => oauthError(400, 'invalid_request', detail),
  unsupportedMediaType: (detail) => oauthError(400, 'invalid_request', detail),
  notImplemented: (operationId) => oauthError(501, 'server_error', `attachkit: operation ${operationId} is not implemented`),
  internal: (detail) => oauthError(500, 'server_error', detail),
  insufficientStorage: (detail) => oauthError(500, 'server_error', detail),
};

/**
 * The dialect for a request, by the mount it arrived on. Fault `token-validation-in-api-dialect`
 * is the classic slip of a shared error handler: the token endpoint's framework failures (schema
 * validation, malformed JSON) come out in the API's shape instead of OAuth2's.
 */
export function dialectFor(req: Request, faults: ReadonlySet<string>): ErrorDialect {
  if (req.baseUrl !== authMount) return caseIqDialect;
  return faults.has('token-validation-in-api-dialect') ? caseIqDialect : oauthDialect;
}
