import express, { type NextFunction, type Request, type Response } from 'express';
import { multipartBody } from '../../kit/multipart.ts';
import { requestState, type ApiContext, type VendorBody } from '../../kit/server-api.ts';
import type { IndexedOperation } from '../../../lib/openapi/operation-index.ts';
import { depart } from '../../kit/departures.ts';
import { jsonBody } from '../../kit/json-body.ts';
import { phpStrval } from './attribute-cast.ts';
import { espoDialect, maxJsonDepth } from './errors.ts';
import { entityDefs, entityOfOperation, textFieldTypes } from './metadata.ts';
import { streamChunkUpload } from './chunked-upload.ts';
import { streamAttachmentUpload } from './streaming-upload.ts';

const smallBodyBytes = 1024 * 1024;

/**
 * Request bodies as EspoCRM reads them (Core/Api/RequestWrapper.php::initParsedBody): JSON only
 * when the media type is exactly `application/json` (parameters such as charset aside); the two
 * form types as forms (PHP's parser: `a[]=1&a[]=2` is an array); anything else as an empty
 * object. The chunk route reads the raw body whatever its type (Tools/Attachment/Api/PostChunk.php):
 * streamChunkUpload reads every chunk that has a body, so the parsers after it never see one.
 */
export function espoBodyParsers(ctx: ApiContext) {
  // File bytes arrive only through the two streaming parsers; every other body is a record's few
  // attributes, refused past 1 MiB (ours: EspoCRM's bound is PHP's post_max_size).
  const json = jsonBody({ limit: smallBodyBytes, maxDepth: maxJsonDepth, type: (req) => mediaTypeOf(req) === 'application/json' });
  const form = express.urlencoded({ limit: smallBodyBytes, extended: true });
  const multipart = multipartBody(ctx, espoDialect, { maxFileBytes: ctx.config.maxFileBytes, maxFieldBytes: smallBodyBytes });
  return [
    // POST Attachment and each chunk stream their data URLs into the blob store; every other body is small.
    streamAttachmentUpload(ctx),
    streamChunkUpload(ctx),
    json,
    form,
    multipart,
    castTextAttributes(ctx),
  ];
}

/**
 * ORM/BaseEntity.php::prepareAttributeValue casts what a client sends for a text attribute
 * (varchar, text, enum, date): a number or boolean with `strval` (`true` is "1", `false` ""), an
 * array to "Array", an object to "Object". The contract declares strings, so each cast is a
 * departure: answered as EspoCRM would, with a warning; `--strict` refuses it.
 */
function castTextAttributes(ctx: ApiContext) {
  return function castTextAttributes(req: Request, res: Response, next: NextFunction): void {
    const entityType = entityOfOperation[requestState(res).operation?.operationId];
    const body = req.body as Record<string, unknown> | undefined;
    if (!entityType || !body || typeof body !== 'object' || Array.isArray(body)) return next();
    for (const [field, def] of Object.entries(entityDefs[entityType].fields)) {
      const value = body[field];
      if (!textFieldTypes.has(def.type) || value === undefined || value === null || typeof value === 'string') continue;
      const cast = phpStrval(value);
      depart(req, res, ctx, {
        location: ['request', 'body', field],
        message: `'${field}' is ${Array.isArray(value) ? 'an array' : `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`} where the contract declares a string: EspoCRM casts it to ${JSON.stringify(cast)} (ORM/BaseEntity.php::prepareAttributeValue)`,
        refusal: () => espoDialect.invalidRequest(`'${field}' must be a string.`),
      });
      body[field] = cast;
    }
    next();
  };
}

export function mediaTypeOf(req: Request): string {
  return (req.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
}

/** `ServerApi.readUndeclaredBody` for EspoCRM. */
export function readUndeclaredEspoBody(req: Request, operation: IndexedOperation, mediaType: string): VendorBody {
  if (operation.operationId === 'uploadAttachmentChunk') {
    return { body: typeof req.body === 'string' ? req.body : '', mediaType: 'text/plain', message: 'EspoCRM reads the raw body whatever its type (Tools/Attachment/Api/PostChunk.php)' };
  }
  const isForm = mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data';
  if (isForm && req.body && typeof req.body === 'object') {
    return { body: req.body, mediaType: 'application/json', message: 'EspoCRM reads it as a form (Core/Api/RequestWrapper.php)' };
  }
  return { body: {}, mediaType: 'application/json', message: 'EspoCRM reads it as an empty object (Core/Api/RequestWrapper.php)' };
}
