import type { Request, Response } from 'express';
import { pathParam, requestState, type RequestContext } from '../../../kit/server-api.ts';
import type { UploadedFile } from '../../../kit/multipart.ts';
import { sendList } from '../api-context.ts';
import { sendEnvelope } from '../envelope.ts';
import { onlyofficeErrors } from '../errors.ts';
import { toInt32 } from '../form-binding.ts';
import { rawUploadOf } from '../raw-upload.ts';
import { crmRootFolderId, filesUploadCategory, OnlyofficeRepository, type EntityType, type FileRow } from '../repository.ts';
import { eventWrapper, fileWrapper } from '../wrappers.ts';

/** Ours: ONLYOFFICE sets no bound; one request may not tag more files than this. */
const maxFileIds = 1000;

function entityOf(res: Response): { type: EntityType; id: number } {
  return { type: pathParam(res, 'entityType') as EntityType, id: Number(pathParam(res, 'entityid')) };
}

/**
 * The argument binder's view of `fileids`: missing → empty list, one id → a one-item list;
 * numbers and numeric strings convert to Int32, anything else is a 400 (Utils/Binder.cs).
 */
function fileIdList(value: unknown): number[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => {
    const id = toInt32(item);
    if (id === undefined) throw onlyofficeErrors.notInt32(String(item));
    return id;
  });
}

/** A "Files are uploaded" event on the entity, tagged with the files. */
function createFilesEvent(repo: OnlyofficeRepository, res: Response, entity: { type: EntityType; id: number }, files: FileRow[]) {
  return repo.createEvent(
    {
      entity_type: entity.type,
      entity_id: entity.id,
      category_id: filesUploadCategory.id,
      content: filesUploadCategory.title,
      created_at: new Date().toISOString(),
      created_by: requestState(res).principal?.user ?? '',
    },
    files.map((file) => file.id),
  );
}

/**
 * POST crm/{entityType}/{entityid}/files/upload (`UploadFileInCRM`): every file part (or the raw
 * body) becomes a file in the CRM root folder; the last one is returned. Nothing is attached.
 */
export async function uploadCrmFile(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const raw = rawUploadOf(req);
  const uploads: UploadedFile[] = req.multipart?.files ?? (raw ? [raw] : []);
  if (uploads.length === 0) throw onlyofficeErrors.noFile();
  const repo = new OnlyofficeRepository(ctx.ws);
  const createdBy = requestState(res).principal?.user ?? '';
  const stored: FileRow[] = [];
  for (const upload of uploads) {
    stored.push(
      await repo.insertFile(
        {
          folder_id: crmRootFolderId,
          title: upload.fileName,
          content_type: upload.mimeType,
          size: upload.blob.size,
          blob_key: upload.blob.key,
          created_at: new Date().toISOString(),
          created_by: createdBy,
        },
        upload.blob,
      ),
    );
  }
  // Fault: the upload also attaches, so the file is on the entity before attachCrmFiles.
  if (ctx.faults.has('upload-attaches')) await createFilesEvent(repo, res, entityOf(res), stored);
  sendEnvelope(res, 201, fileWrapper(stored[stored.length - 1], ctx.siteUrl(req)));
}

/**
 * POST crm/{entityType}/{entityid}/files (`AttachFiles`): a new history event tagged with the
 * files that exist; unknown ids are skipped. The entity must exist (404 otherwise).
 */
export async function attachCrmFiles(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new OnlyofficeRepository(ctx.ws);
  const entity = entityOf(res);
  const body = (req.body ?? {}) as { fileids?: unknown };
  // Fault: the source's `fileids == null` check fires, which the binder never lets happen.
  if (body.fileids === undefined && ctx.faults.has('missing-fileids-refused')) throw onlyofficeErrors.invalidArguments();
  const ids = fileIdList(body.fileids);
  if (ids.length > maxFileIds) throw onlyofficeErrors.tooManyFileIds(maxFileIds);
  const record = await repo.findEntity(entity.type, entity.id);
  // Fault: the entity is never looked up, so events attach to records that do not exist.
  if (!record && !ctx.faults.has('unknown-entity-accepted')) throw onlyofficeErrors.notFound();
  const files = await repo.findFiles(ids);
  // Fault: an id that names no file is refused instead of skipped.
  if (ctx.faults.has('unknown-fileids-refused') && files.length < new Set(ids).size) throw onlyofficeErrors.notFound();
  // Fault: the event is created but the files are never tagged with it.
  const event = await createFilesEvent(repo, res, entity, ctx.faults.has('attach-ignores-files') ? [] : files);
  const attached = await repo.filesOfEvent(event.id);
  // Fault: the event lists every file twice.
  const listed = ctx.faults.has('attach-duplicates-files') ? [...attached, ...attached] : attached;
  sendEnvelope(res, 201, eventWrapper(event, record, listed, ctx.siteUrl(req)));
}

/** GET crm/{entityType}/{entityid}/files (`GetFiles`): no existence check, so unknown → []. */
export async function listCrmEntityFiles(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const entity = entityOf(res);
  const files = await new OnlyofficeRepository(ctx.ws).filesOfEntity(entity.type, entity.id);
  // The generic ApiContext parameters page, sort and filter the list (FileWrapper's DataContract is "file").
  sendList(req, res, files.map((file) => fileWrapper(file, ctx.siteUrl(req))), 'file', (page) => sendEnvelope(res, 200, page.items, page));
}

/** DELETE crm/files/{fileid} (`DeleteCRMFile`): the file as it was, then untagged and gone. */
export async function deleteCrmFile(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new OnlyofficeRepository(ctx.ws);
  const file = await repo.findFile(Number(pathParam(res, 'fileid')));
  if (!file) throw onlyofficeErrors.notFound();
  const wrapper = fileWrapper(file, ctx.siteUrl(req));
  // Fault: the answer says deleted, but the file stays (listed and downloadable).
  if (!ctx.faults.has('delete-leaves-listed')) {
    const blobKey = await repo.deleteFile(file.id);
    if (blobKey) await ctx.ws.blobs.remove(blobKey);
  }
  sendEnvelope(res, 200, wrapper);
}

/** GET crm/files/root (`GetRootFolderID`): the folder id as a bare scalar. */
export function getCrmRootFolder(_req: Request, res: Response): void {
  sendEnvelope(res, 200, crmRootFolderId);
}

// ApiRouteRegistrator registers every route with the .json extension too; same methods.
export const uploadCrmFileJson = uploadCrmFile;
export const attachCrmFilesJson = attachCrmFiles;
export const listCrmEntityFilesJson = listCrmEntityFiles;
export const deleteCrmFileJson = deleteCrmFile;
export const getCrmRootFolderJson = getCrmRootFolder;
