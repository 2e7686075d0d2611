import type { Request } from 'express';
import { ApiError, type ErrorDialect } from '../../kit/api-error.ts';

/**
 * EspoCRM's error dialect (Core/Api/ErrorOutput.php): the message travels in `X-Status-Reason`
 * (invalid header characters replaced by spaces), the body is empty unless the exception carries
 * a JSON body such as `{"messageTranslation": {label, scope, data}}`.
 */
function espoError(status: number, reason: string | undefined, body?: unknown): ApiError {
  const headers: Record<string, string> = {};
  if (reason !== undefined) headers['X-Status-Reason'] = headerSafe(reason);
  return new ApiError({ status, headers, body }, reason);
}

function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, ' ').slice(0, 1000);
}

function messageTranslation(label: string, data: Record<string, unknown> | null, scope: string | null = null) {
  return { messageTranslation: { label, scope, data } };
}

export const espoErrors = {
  // 401: empty body; Basic challenge only for non-XHR, Referer-less, non-POST requests (Api/Auth.php).
  unauthorized(req: Request): ApiError {
    const challenge = !req.get('X-Requested-With') && !req.get('Referer') && req.method !== 'POST';
    return new ApiError({ status: 401, headers: challenge ? { 'WWW-Authenticate': 'Basic realm=""' } : {} }, 'Unauthorized');
  },

  // CreateInputFilter (Classes/Record/Attachment/CreateInputFilter.php)
  noFileContents: () => espoError(400, 'No file contents.'),
  nonStringFileContents: () => espoError(400, 'Non-string file contents.'),
  badFileContents: () => espoError(400, 'Bad file contents.'),
  couldNotDecode: () => espoError(400, 'Could not decode file contents.'),
  noFieldAndParentType: () => espoError(400, 'No `field` and `parentType`.'),

  // Field validation (FieldValidation/Exceptions/ValidationError.php)
  validationFailure: (entityType: string, field: string, type: string) =>
    espoError(
      400,
      `Field validation failure; entityType: ${entityType}, field: ${field}, type: ${type}.`,
      messageTranslation('validationFailure', { field, type }),
    ),

  // Tools/Attachment/AccessChecker.php, Checker.php, BeforeCreate.php
  roleNotAllowed: () => espoError(403, 'Role not allowed.'),
  fieldDoesNotExist: (field: string) => espoError(403, `Field '${field}' does not exist.`),
  fieldTypeNotAllowed: (type: string, role: string) => espoError(403, `Field type '${type}' is not allowed for ${role}.`),
  noAccessToScope: (entityType: string) => espoError(403, `No access to ${entityType}.`),
  notAllowedFileType: () => espoError(403, 'Not allowed file type.'),
  sizeExceedsLimit: () => espoError(403, 'Attachment size exceeds `attachmentUploadMaxSize`.'),

  // Chunked upload (Tools/Attachment/UploadService.php, Api/PostChunk.php)
  emptyChunk: () => espoError(400, 'No chunk data.'),
  badFileData: () => espoError(400, 'Bad file data.'),
  notBeingUploaded: () => espoError(403, 'Attachment is not being-uploaded.'),
  storageNotUploadDir: () => espoError(403, "Attachment storage is not 'EspoUploadDir'."),
  maxAttachmentSizeExceeded: () => espoError(403, 'Max attachment size exceeded.'),
  // EspoCRM answers 500 here; bad input must never be a 500 on the reference server (see spec).
  fileSizeMismatch: () => espoError(400, 'File size mismatch.'),
  // Ours (EspoCRM appends it): a chunk identical to the one before it is taken for a resend.
  repeatedChunk: (received: number, size: number | null, chunks: number) =>
    espoError(409, `Chunk repeats the previous chunk (same length and SHA-256) and was not appended; received ${received} of ${size ?? 'an undeclared number of'} bytes in ${chunks} chunk(s).`),

  // Generic BadRequest/Forbidden with a message (e.g. Core/Record/SearchParamsFetcher.php)
  badRequest: (reason: string) => espoError(400, reason),
  forbidden: (reason: string) => espoError(403, reason),

  // Records
  // Core/Record/Service.php: read says "does not exist" (NotFoundSilent), update and delete "not found".
  recordNotFound: (id: string) => espoError(404, `Record ${id} does not exist.`),
  recordNotFoundForWrite: (id: string) => espoError(404, `Record ${id} not found.`),
  // A bare NotFound (Tools/Attachment/Service::getFileData, UploadService::uploadChunk): empty reason.
  notFound: () => espoError(404, ''),
  noReadAccess: () => espoError(403, "No 'read' access."),
  noRecordAccess: (action: 'edit' | 'delete') => espoError(403, `No '${action}' access.`),
  // Core/Record/Service.php::processConcurrencyControl
  modified: (values: Record<string, unknown>, versionNumber: number) => espoError(409, 'modified', { values, versionNumber }),

  // Core/Record/Access/LinkCheck.php
  cannotRelateNonExisting: (entityType: string, link: string) =>
    espoError(
      403,
      `Can't relate with non-existing record. entity type: ${entityType}, link: ${link}.`,
      messageTranslation('cannotRelateNonExisting', { foreignEntityType: 'Attachment' }),
    ),
  cannotRelateForbidden: (entityType: string, link: string) =>
    espoError(
      403,
      `No foreign record access for link operation (${entityType}:${link}).`,
      messageTranslation('cannotRelateForbidden', { foreignEntityType: 'Attachment', action: 'read' }),
    ),

  // RecordHooks/Note/*
  onlyPostTypeAllowed: () => espoError(403, "Only 'Post' type allowed."),
  noteNotEditable: () => espoError(403, 'Note is not editable.'),
};

/** PHP's json_decode refuses JSON nested deeper than this (its default depth). */
export const maxJsonDepth = 512;

export const espoDialect: ErrorDialect = {
  unauthorized: () => new ApiError({ status: 401 }, 'Unauthorized'),
  routeNotFound: (method, path) => espoError(404, `Route ${method} ${path} not found.`.replace(/\s+/g, ' ')),
  invalidRequest: (detail) => espoError(400, detail),
  // EspoCRM has no 413 (ErrorOutput allows 400/401/403/404/409/500/503). Uploads over the limit
  // get its size check's 403 from their own parsers; any other body over its limit is ours: 400.
  payloadTooLarge: (detail) => espoError(400, detail),
  unsupportedMediaType: (detail) => espoError(400, detail),
  notImplemented: (operationId) => espoError(501, `attachkit: operation ${operationId} is not implemented.`),
  internal: (detail) => espoError(500, detail),
  // EspoCRM fails a write to a full disk as an Error (500); the reason is ours.
  insufficientStorage: (detail) => espoError(500, detail),
};
