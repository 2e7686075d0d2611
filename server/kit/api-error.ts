/**
 * An error already rendered in one API's dialect: status, headers and body exactly as the vendor
 * sends them. Templates in `server/apis/<api>/errors.ts` build these; the error middleware writes
 * them verbatim.
 */
export interface ErrorResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialisable value, or a string sent as-is; undefined means an empty body. */
  body?: unknown;
  /** Defaults to application/json for objects and text/plain for strings. */
  contentType?: string;
}

export class ApiError extends Error {
  readonly response: ErrorResponse;

  constructor(response: ErrorResponse, message?: string) {
    super(message ?? `HTTP ${response.status}`);
    this.name = 'ApiError';
    this.response = response;
  }

  get status(): number {
    return this.response.status;
  }
}

/**
 * How an API answers failures the framework detects before or around its handlers. Every API
 * implements all of them, in its own shape.
 */
export interface ErrorDialect {
  /** No or rejected credentials. */
  unauthorized(detail: string, hadCredentials: boolean): ApiError;
  /** No operation at this path (or the method is not allowed there). */
  routeNotFound(method: string, path: string): ApiError;
  /** The request breaks the contract: schema, parameters, malformed body. */
  invalidRequest(detail: string): ApiError;
  /** Body or file larger than the configured limit. */
  payloadTooLarge(detail: string): ApiError;
  /** A Content-Type the operation does not accept. */
  unsupportedMediaType(detail: string): ApiError;
  /** The operation is in the contract but has no handler yet. */
  notImplemented(operationId: string): ApiError;
  /** A bug on our side (including a response that breaks the contract). */
  internal(detail: string): ApiError;
  /** The server cannot store the bytes: its disk is full. */
  insufficientStorage(detail: string): ApiError;
}

/** A response of ours that breaks the contract: a bug worth naming to the client (it names no path). */
export class ContractViolation extends Error {}

/** A record's blob is gone or no longer has the size it was stored with (changed behind the server's back). */
export class StoredFileDamaged extends Error {}
