import type { Request } from 'express';
import { ApiError, type ErrorDialect } from '../../kit/api-error.ts';

/** HResults of the exceptions ONLYOFFICE maps to each error (`ErrorWrapper.hresult`). */
const hresult = {
  argument: -2147024809, // ArgumentException
  notFound: -2147467259, // ItemNotFoundException
  security: -2146233078, // SecurityException
  authentication: -2146233087, // AuthenticationException
  methodNotFound: -2146233069, // no API method for the route
  general: -2146233088, // Exception
  format: -2146233033, // FormatException
};

/** The API's error envelope (`ApiStandartResponce` with `status: 1`), for 400/403/404/500. */
function envelopeError(status: number, message: string, code: number): ApiError {
  return new ApiError({ status, body: { status: 1, statusCode: status, error: { message, hresult: code, data: {} } } }, message);
}

/** The file handler answers refusals with an empty body and input errors with an HTML-encoded text. */
function handlerStatus(status: number, message?: string): ApiError {
  if (message === undefined) return new ApiError({ status }, `HTTP ${status}`);
  return new ApiError({ status, body: escapeHtml(message), contentType: 'text/html; charset=utf-8' }, message);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const onlyofficeErrors = {
  /** `ErrorHttpHandler`: the bare word, plus a Bearer challenge when an Authorization header came. */
  unauthorized(req: Request): ApiError {
    const headers: Record<string, string> = req.get('Authorization') === undefined ? {} : { 'WWW-Authenticate': `Bearer Realm="${req.hostname}"` };
    return new ApiError({ status: 401, headers, body: 'Unauthorized', contentType: 'text/plain; charset=utf-8' }, 'Unauthorized');
  },
  authenticationFailed: () => envelopeError(500, 'User authentication failed', hresult.authentication),
  /** `new ArgumentException()`: entityid <= 0, fileids == null. */
  invalidArguments: () => envelopeError(400, 'Value does not fall within the expected range.', hresult.argument),
  notFound: () => envelopeError(404, 'Not found', hresult.notFound),
  /** An `ArgumentException` with a message. */
  invalidArgument: (message: string) => envelopeError(400, message, hresult.argument),
  /** A value that does not convert to Int32 (`ApiArgumentMismatchException` over a FormatException). */
  notInt32: (value: string) => envelopeError(400, `${value} is not a valid value for Int32.`, hresult.format),
  /** The reference server's own bound (ONLYOFFICE has none), answered as an argument error. */
  tooManyFileIds: (max: number) => envelopeError(400, `At most ${max} fileids per request.`, hresult.argument),
  methodNotFound: () => envelopeError(404, 'Method not found', hresult.methodNotFound),
  // Real ONLYOFFICE crashes here (500, null reference); bad input never gets a 500 from us.
  noFile: () =>
    envelopeError(
      400,
      'No file in the request: send multipart/form-data with a file part, or the file bytes with Content-Disposition: attachment; filename="<name>".',
      hresult.argument,
    ),

  // Products/Files/HttpHandlers/filehandler.ashx (FileHandler.ashx.cs)
  handlerForbidden: () => handlerStatus(403),
  handlerNotFound: () => handlerStatus(404),
  handlerBadRequest: (message: string) => handlerStatus(400, message),
};

/** What `/api/2.0` answers for failures the framework detects. */
export const apiDialect: ErrorDialect = {
  unauthorized: () => new ApiError({ status: 401, body: 'Unauthorized', contentType: 'text/plain; charset=utf-8' }, 'Unauthorized'),
  routeNotFound: () => onlyofficeErrors.methodNotFound(),
  invalidRequest: (detail) => envelopeError(400, detail, hresult.argument),
  // ONLYOFFICE has no 413: an oversize upload fails its size check as an argument error.
  payloadTooLarge: (detail) => envelopeError(400, detail, hresult.argument),
  // ONLYOFFICE reads any body it does not parse as a form; we refuse it clearly instead.
  unsupportedMediaType: (detail) => envelopeError(400, detail, hresult.argument),
  notImplemented: (operationId) => envelopeError(501, `attachkit: operation ${operationId} is not implemented.`, hresult.general),
  internal: (detail) => envelopeError(500, detail, hresult.general),
  // An IOException while storing is an unhandled exception: 500 envelope (the message is ours).
  insufficientStorage: (detail) => envelopeError(500, detail, hresult.general),
};

/** What the Documents file handler answers: it is web studio code, not the API. */
export const fileHandlerDialect: ErrorDialect = {
  // Global.Authenticate failing leaves the request anonymous, and `!CanRead(file)` answers 403.
  unauthorized: () => onlyofficeErrors.handlerForbidden(),
  routeNotFound: () => onlyofficeErrors.handlerNotFound(),
  invalidRequest: (detail) => onlyofficeErrors.handlerBadRequest(detail),
  payloadTooLarge: (detail) => onlyofficeErrors.handlerBadRequest(detail),
  unsupportedMediaType: (detail) => onlyofficeErrors.handlerBadRequest(detail),
  notImplemented: (operationId) => handlerStatus(501, `attachkit: operation ${operationId} is not implemented.`),
  internal: (detail) => handlerStatus(500, detail),
  insufficientStorage: (detail) => handlerStatus(500, detail),
};

export const fileHandlerMount = '/Products/Files/HttpHandlers/filehandler.ashx';

/** The dialect by the mount the request arrived on, so framework failures speak it too. */
export function dialectFor(req: Request): ErrorDialect {
  return req.baseUrl.toLowerCase() === fileHandlerMount.toLowerCase() ? fileHandlerDialect : apiDialect;
}
