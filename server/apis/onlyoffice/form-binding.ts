import type { NextFunction, Request, Response } from 'express';
import type { IndexedOperation } from '../../../lib/openapi/operation-index.ts';
import type { ApiError } from '../../kit/api-error.ts';
import { requestState, type ValidationItem, type VendorBody } from '../../kit/server-api.ts';
import { onlyofficeErrors } from './errors.ts';

const attachOperations = new Set(['attachCrmFiles', 'attachCrmFilesJson']);

/**
 * Binder.BindCollection (module/ASC.Api/ASC.Api/Utils/Binder.cs): a form's `fileids` collection is
 * every value of `fileids` (repeated), of `fileids[]` (the Ruby gem's and jQuery's form) and of
 * `fileids[0]`, `fileids[1]`, … in the order the groups first appear; names match case-insensitively.
 */
export function bindFormCollection(form: Record<string, unknown>, name: string): string[] | undefined {
  const pattern = new RegExp(`^${name}(\\[(\\d*)\\])?$`, 'i');
  const groups = new Map<string, string[]>();
  for (const [key, value] of Object.entries(form)) {
    const m = pattern.exec(key);
    if (!m) continue;
    const group = m[1] === undefined ? 'simple' : m[2];
    groups.set(group, [...(groups.get(group) ?? []), ...([] as unknown[]).concat(value).map(String)]);
  }
  return groups.size ? [...groups.values()].flat() : undefined;
}

/** A form body on attach, bound as ONLYOFFICE binds it, for the validator and the handler. */
export function bindAttachForm(req: Request, res: Response, next: NextFunction): void {
  const operation = requestState(res).operation;
  if (attachOperations.has(operation?.operationId) && req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object') {
    const fileids = bindFormCollection(req.body as Record<string, unknown>, 'fileids');
    req.body = fileids === undefined ? {} : { fileids };
  }
  next();
}

/**
 * `ServerApi.readUndeclaredBody` for ONLYOFFICE: ApiArgumentBuilder reads JSON and XML bodies as
 * such and merges any other request's form (`Request.Form`) into the arguments; a body that is not
 * a form gives no arguments at all (module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs).
 */
export function readUndeclaredOnlyofficeBody(req: Request, operation: IndexedOperation, mediaType: string): VendorBody | undefined {
  const declared = Object.keys(operation.requestBody?.content ?? {});
  const target = declared.find((type) => type === 'application/json') ?? declared.find((type) => type === 'application/x-www-form-urlencoded');
  if (!target || mediaType === 'application/xml' || mediaType === 'text/xml') return undefined;
  const form = mediaType === 'multipart/form-data' && req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const body = attachOperations.has(operation.operationId) ? (bindFormCollection(form, 'fileids') ? { fileids: bindFormCollection(form, 'fileids') } : {}) : form;
  return { body, mediaType: target, message: 'ONLYOFFICE reads it as a form, so a body that is not one gives no arguments (ASC.Api/Impl/ApiArgumentBuilder.cs)' };
}

/** ConvertUtils.GetConverted to Int32: a number, or text `int.Parse` reads (spaces, sign); else undefined. */
export function toInt32(value: unknown): number | undefined {
  const id = typeof value === 'number' || (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) ? Number(value) : Number.NaN;
  return Number.isInteger(id) && id >= -2147483648 && id <= 2147483647 ? id : undefined;
}

/**
 * `ServerApi.contractViolation` for ONLYOFFICE: `fileids` the validator refused are answered as the
 * binder's conversion failure, `<value> is not a valid value for Int32.` (400).
 */
export function onlyofficeContractViolation(items: ValidationItem[], req: Request, res: Response): ApiError | undefined {
  if (!attachOperations.has(requestState(res).operation.operationId) || !items.some((item) => item.path?.startsWith('/body/fileids'))) return undefined;
  const raw = (req.body as { fileids?: unknown } | undefined)?.fileids;
  const bad = ([] as unknown[]).concat(raw).find((value) => toInt32(value) === undefined);
  return bad === undefined && raw !== undefined ? undefined : onlyofficeErrors.notInt32(String(bad));
}
