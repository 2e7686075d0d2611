import type { Request, Response } from 'express';
import type { ApiError } from '../../kit/api-error.ts';
import { requestState, type ApiContext, type ValidationItem } from '../../kit/server-api.ts';
import { espoErrors } from './errors.ts';
import { entityDefs, entityOfOperation, fieldOfAttribute } from './metadata.ts';

/** The validator's keyword → EspoCRM's validation type (Core/FieldValidation, Classes/FieldValidators). */
const validationType: Record<string, string> = {
  required: 'required',
  minLength: 'required', // the only minLength in the contract is 1: an empty value fails `required`
  maxLength: 'maxLength',
  pattern: 'pattern',
  minimum: 'min',
  maximum: 'max',
};

/**
 * A request body the contract's validator refused, answered as EspoCRM refuses it
 * (`ServerApi.contractViolation`): Attachment's CreateInputFilter first (its 400s have no body),
 * then field validation, which reports the first failing field in entityDefs order as
 * `400 validationFailure` with `X-Status-Reason: Field validation failure; entityType: <E>, field:
 * <f>, type: <t>.` (FieldValidation/Exceptions/ValidationError.php). Failures that are not about
 * the body (query, path) keep the dialect's generic 400.
 */
export function espoContractViolation(items: ValidationItem[], req: Request, res: Response, _ctx: ApiContext): ApiError | undefined {
  const entityType = entityOfOperation[requestState(res).operation.operationId];
  if (!entityType) return undefined;
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  if (entityType === 'Attachment') {
    const filtered = attachmentInputFilter(body);
    if (filtered) return filtered;
  }
  const order = Object.keys(entityDefs[entityType].fields);
  const failures = items
    .map((item) => failureOf(entityType, item))
    .filter((f): f is { field: string; type: string } => f !== undefined)
    .sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  if (failures.length === 0) return undefined;
  return espoErrors.validationFailure(entityType, failures[0].field, failures[0].type);
}

function failureOf(entityType: string, item: ValidationItem): { field: string; type: string } | undefined {
  const m = /^\/body\/([^/]+)/.exec(item.path ?? '');
  if (!m) return undefined;
  const field = fieldOfAttribute(entityType, m[1]);
  if (!field) return undefined;
  const keyword = (item.errorCode ?? '').split('.')[0];
  return { field, type: validationType[keyword] ?? 'valid' };
}

/** Classes/Record/Attachment/CreateInputFilter.php's refusals, in its order (the decoding check is the handler's). */
function attachmentInputFilter(body: Record<string, unknown>): ApiError | undefined {
  const isBeingUploaded = body.isBeingUploaded === true;
  if (!isBeingUploaded && (body.file === undefined || body.file === null)) return espoErrors.noFileContents();
  if (!isBeingUploaded && typeof body.file !== 'string') return espoErrors.nonStringFileContents();
  if (!isBeingUploaded && !(body.file as string).includes(',')) return espoErrors.badFileContents();
  const present = (value: unknown) => typeof value === 'string' && value !== '';
  if (!present(body.field) || (!present(body.parentType) && !present(body.relatedType))) return espoErrors.noFieldAndParentType();
  return undefined;
}
