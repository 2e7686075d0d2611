import type { Request, Response } from 'express';
import { sendStoredFile } from '../../../kit/send-stored-file.ts';
import { pathParam, type RequestContext } from '../../../kit/server-api.ts';
import { canReadAttachment, principalOf } from '../access.ts';
import { acceptChunk, partsInProgress, type StreamedChunk } from '../chunked-upload.ts';
import { decodeFileDataUrl } from '../data-url.ts';
import type { StreamedFile } from '../streaming-upload.ts';
import type { StoredBlob } from '../../../store/blob-store.ts';
import { espoDialect, espoErrors } from '../errors.ts';
import { espoNow, newEspoId } from '../ids.ts';
import { acceptsFile, allowedFieldTypes, entityDefs } from '../metadata.ts';
import { EspoRepository, type AttachmentRow } from '../repository.ts';
import { readSearchParams, searchList } from '../search-params.ts';

const MB = 1024 * 1024;

/** The attribute map EspoCRM returns for an Attachment (getValueMap() minus `contents`). */
function attachmentAttributes(row: AttachmentRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    deleted: false,
    type: row.type,
    size: row.size,
    sourceId: row.source_id,
    field: row.field,
    isBeingUploaded: row.is_being_uploaded === 1,
    storage: row.storage,
    storageFilePath: null,
    global: false,
    role: row.role,
    parentId: row.parent_id,
    parentType: row.parent_type,
    relatedId: row.related_id,
    relatedType: row.related_type,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    createdById: row.created_by_id,
    createdByName: row.created_by_name,
  };
}

/** The upload's bytes: streamed into the blob store by the body parser, else decoded here. */
async function fileContents(file: unknown, streamed: StreamedFile | undefined): Promise<StoredBlob | Buffer> {
  if (streamed && (streamed.stored || streamed.error)) {
    await streamed.stored;
    if (streamed.error) throw streamed.error;
    return streamed.blob!;
  }
  return decodeFileDataUrl(file);
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** POST Attachment: CreateInputFilter → field validation → AccessChecker/size/type → save. */
export async function createAttachment(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  const principal = principalOf(res);
  const input = (req.body ?? {}) as Record<string, unknown>;
  const isBeingUploaded = input.isBeingUploaded === true;

  if (!isBeingUploaded && (input.file === undefined || input.file === null)) throw espoErrors.noFileContents();
  const contents = isBeingUploaded ? undefined : await fileContents(input.file, res.locals.espoFile as StreamedFile | undefined);
  const field = optionalString(input.field);
  const parentType = optionalString(input.parentType);
  const relatedType = parentType ? null : optionalString(input.relatedType);
  if (!field || (!parentType && !relatedType)) throw espoErrors.noFieldAndParentType();

  const name = optionalString(input.name);
  if (!name) throw espoErrors.validationFailure('Attachment', 'name', 'required');
  // Attachment.json: name varchar(255), type varchar(100) (FieldValidators/VarcharType.php).
  if ([...name].length > 255) throw espoErrors.validationFailure('Attachment', 'name', 'maxLength');
  if (typeof input.type === 'string' && [...input.type].length > 100) throw espoErrors.validationFailure('Attachment', 'type', 'maxLength');
  // Ours: the type becomes the download's Content-Type header, so it must be one (EspoCRM stores
  // it and fails every download of the file).
  if (typeof input.type === 'string' && !/^[\x20-\x7e]*$/.test(input.type)) throw espoErrors.validationFailure('Attachment', 'type', 'valid');

  const role = optionalString(input.role) ?? 'Attachment';
  if (!allowedFieldTypes[role]) throw espoErrors.roleNotAllowed();
  const entityType = (parentType ?? relatedType)!;
  const defs = entityDefs[entityType];
  if (!defs) throw espoErrors.noAccessToScope(entityType);
  const fieldDef = defs.fields[field];
  if (!fieldDef) throw espoErrors.fieldDoesNotExist(field);
  if (!allowedFieldTypes[role].includes(fieldDef.type)) throw espoErrors.fieldTypeNotAllowed(fieldDef.type, role);

  const limit = fieldDef.maxFileSize ? fieldDef.maxFileSize * MB : ctx.config.maxFileBytes;
  const declaredSize = typeof input.size === 'number' ? input.size : null;
  const realSize = contents ? (Buffer.isBuffer(contents) ? contents.length : contents.size) : 0;
  const ignoreLimit = ctx.faults.has('size-limit-ignored');
  if (((declaredSize !== null && declaredSize > limit) || realSize > limit) && !ignoreLimit) throw espoErrors.sizeExceedsLimit();
  const type = optionalString(input.type);
  if (!acceptsFile(fieldDef, name, type) && !ctx.faults.has('accept-list-ignored')) throw espoErrors.notAllowedFileType();

  // Streamed uploads are already on disk; unclaimed ones are released when the response ends.
  const blob = contents && !Buffer.isBuffer(contents) ? contents : await ctx.ws.blobs.write(contents ?? Buffer.alloc(0));
  const now = espoNow();
  const row: AttachmentRow = {
    id: newEspoId(),
    name,
    type,
    // The real byte length replaces the declared size, except while a chunked upload is pending.
    size: isBeingUploaded ? declaredSize : ctx.faults.has('declared-size-kept') && declaredSize !== null ? declaredSize : realSize,
    role,
    field,
    parent_type: parentType,
    parent_id: null,
    related_type: relatedType,
    related_id: null,
    source_id: null,
    is_being_uploaded: isBeingUploaded ? 1 : 0,
    storage: 'EspoUploadDir',
    blob_key: blob.key,
    created_at: now,
    modified_at: now,
    created_by_id: principal.id,
    created_by_name: principal.name,
  };
  try {
    await repo.insertAttachment(row, blob);
  } catch (error) {
    await ctx.ws.blobs.remove(blob.key);
    throw error;
  }
  res.status(200).json(attachmentAttributes(row));
}

/** POST Attachment/chunk/{id}: one data-URL chunk; the upload completes at the declared size (chunked-upload.ts). */
export async function uploadAttachmentChunk(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const chunk = res.locals.espoChunk as StreamedChunk | undefined;
  // Api/PostChunk.php: an empty body is refused before anything else.
  if (!chunk) throw espoErrors.emptyChunk();
  await acceptChunk(req, res, ctx, chunk);
}

export async function getAttachment(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  const id = pathParam(res, 'id');
  const row = await repo.findAttachment(id);
  if (!row && ctx.faults.has('missing-record-500')) throw espoDialect.internal('Call to a member function get() on null');
  if (!row) throw espoErrors.recordNotFound(id);
  if (!(await canReadAttachment(row, principalOf(res), repo))) throw espoErrors.noReadAccess();
  res.status(200).json(attachmentAttributes(row));
}

export async function deleteAttachment(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const id = pathParam(res, 'id');
  const principal = principalOf(res);
  const blobKeys = await new EspoRepository(ctx.ws).transaction(async (tx) => {
    const row = await tx.findAttachment(id, { lock: true });
    if (!row) throw espoErrors.recordNotFoundForWrite(id);
    if (!principal.isAdmin && row.created_by_id !== principal.id) throw espoErrors.noRecordAccess('delete');
    return tx.deleteAttachment(id);
  });
  for (const key of blobKeys) await ctx.ws.blobs.remove(key);
  res.status(200).json(true);
}

/** GET Attachment/file/{id} (Tools/Attachment/Api/GetFile.php). */
export async function downloadAttachmentFile(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  const id = pathParam(res, 'id');
  const row = await repo.findAttachment(id);
  if (!row) throw espoErrors.notFound();
  if (!(await canReadAttachment(row, principalOf(res), repo))) throw espoErrors.noReadAccess();
  // GetFile does not refuse an upload in progress: it serves what was received so far.
  const parts = row.is_being_uploaded === 1 ? await partsInProgress(ctx.ws, id) : [row.blob_key];
  await sendStoredFile(res, ctx, { blobKey: row.blob_key, parts, contentType: row.type, fileName: row.name });
}

/** GET Attachment: administrators only (Controllers/Attachment.php::getActionList, a bare Forbidden). */
export async function listAttachments(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  if (!principalOf(res).isAdmin) throw espoErrors.forbidden('');
  const params = readSearchParams(req);
  const rows = await new EspoRepository(ctx.ws).listAttachments();
  res.status(200).json(searchList('Attachment', rows.map(attachmentAttributes), params, { orderBy: 'createdAt', order: 'DESC' }));
}
