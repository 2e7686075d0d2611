import type { Request, Response } from 'express';
import type { RequestContext } from '../../../kit/server-api.ts';
import { principalOf } from '../access.ts';
import { castAttributes } from '../attribute-cast.ts';
import { espoErrors } from '../errors.ts';
import { espoNow, newEspoId } from '../ids.ts';
import { checkAttachmentLink } from '../link-check.ts';
import { writableAttributes } from '../metadata.ts';
import { accessibleRecord, checkVersion, listReadable, nextVersion } from '../records.ts';
import { EspoRepository, type RecordRow } from '../repository.ts';

const fileLink = { entityType: 'Document', field: 'file', link: 'file' };

/** The Documents as the API answers them, their file names read in one query per 500 records. */
async function documentsAttributes(repo: EspoRepository, records: RecordRow[]): Promise<Array<Record<string, unknown>>> {
  const fileIds = records.map((record) => record.attributes.fileId as string | null | undefined);
  const files = await repo.findAttachments(fileIds.filter((id): id is string => Boolean(id)));
  return records.map((record, i) => {
    const fileId = fileIds[i];
    const file = fileId ? files.get(fileId) : undefined;
    return { ...record.attributes, id: record.id, deleted: false, fileId: fileId ?? null, fileName: file?.name ?? null };
  });
}

async function documentAttributes(repo: EspoRepository, record: RecordRow): Promise<Record<string, unknown>> {
  return (await documentsAttributes(repo, [record]))[0];
}

export async function createDocument(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  const principal = principalOf(res);
  const input = castAttributes('Document', writableAttributes('Document', (req.body ?? {}) as Record<string, unknown>));
  if (typeof input.name !== 'string' || input.name === '') throw espoErrors.validationFailure('Document', 'name', 'required');
  if (input.fileId === undefined || input.fileId === null || input.fileId === '') throw espoErrors.validationFailure('Document', 'file', 'required');
  const fileId = await checkAttachmentLink(repo, principal, input.fileId, fileLink, ctx.faults);
  const now = espoNow();
  const record: RecordRow = {
    id: newEspoId(),
    entity_type: 'Document',
    created_at: now,
    attributes: {
      status: 'Active',
      ...input,
      fileId,
      versionNumber: 1,
      createdAt: now,
      modifiedAt: now,
      createdById: principal.id,
      createdByName: principal.name,
    },
  };
  await repo.transaction(async (tx) => {
    await tx.insertRecord(record);
    // File fields record the owner on the attachment (FieldProcessing/File/Saver.php).
    await tx.updateAttachment(fileId, { related_type: 'Document', related_id: record.id, field: 'file' });
  });
  res.status(200).json(await documentAttributes(repo, record));
}

export async function getDocument(_req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  const record = await accessibleRecord(repo, 'Document', res, 'read');
  res.status(200).json(await documentAttributes(repo, record));
}

/** PUT Document/{id}: a changed fileId links the new attachment and deletes the previous one. */
export async function updateDocument(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const principal = principalOf(res);
  const input = castAttributes('Document', writableAttributes('Document', (req.body ?? {}) as Record<string, unknown>));
  // Read, check the version and write in one transaction holding the record's row.
  const { record, attributes, blobKeys } = await new EspoRepository(ctx.ws).transaction(async (tx) => {
    const record = await accessibleRecord(tx, 'Document', res, 'edit');
    const id = record.id;
    checkVersion(req, record);
    if ('name' in input && (typeof input.name !== 'string' || input.name === '')) throw espoErrors.validationFailure('Document', 'name', 'required');
    const previousFileId = record.attributes.fileId as string | undefined;
    let linked: string | undefined;
    if ('fileId' in input && input.fileId !== previousFileId) {
      if (input.fileId === null || input.fileId === '') throw espoErrors.validationFailure('Document', 'file', 'required');
      linked = await checkAttachmentLink(tx, principal, input.fileId, fileLink, ctx.faults);
    }
    // Fault: the old attachment survives the replacement (a leak EspoCRM does not have).
    // Ours: one still linked by another record stays (EspoCRM deletes it, leaving that record's link dangling).
    const superseded =
      linked && previousFileId && !ctx.faults.has('replaced-file-kept') && !(await tx.attachmentLinkedElsewhere(previousFileId, id)) ? previousFileId : undefined;
    const attributes = { ...record.attributes, ...input, modifiedAt: espoNow(), modifiedById: principal.id, versionNumber: nextVersion(record) };
    await tx.updateRecordAttributes(id, attributes);
    if (linked) await tx.updateAttachment(linked, { related_type: 'Document', related_id: id, field: 'file' });
    return { record, attributes, blobKeys: superseded ? await tx.deleteAttachment(superseded) : [] };
  });
  for (const key of blobKeys) await ctx.ws.blobs.remove(key);
  res.status(200).json(await documentAttributes(new EspoRepository(ctx.ws), { ...record, attributes }));
}

/**
 * DELETE Document/{id}: the record only. Its attachment stays (readable by whoever could read it
 * before, e.g. its creator); EspoCRM removes such attachments later, in its weekly Cleanup job,
 * 15 days to 6 months after the deletion (Record/Service::delete, Jobs/Cleanup.php).
 */
export async function deleteDocument(_req: Request, res: Response, ctx: RequestContext): Promise<void> {
  await new EspoRepository(ctx.ws).transaction(async (tx) => {
    const record = await accessibleRecord(tx, 'Document', res, 'delete');
    await tx.deleteRecord(record.id);
  });
  res.status(200).json(true);
}

/** GET Document: one page of the Documents the user may read, as `{total, list}`. */
export async function listDocuments(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  res.status(200).json(await listReadable(req, res, repo, 'Document', (records) => documentsAttributes(repo, records)));
}

/** PATCH Document/{id}: routed to the same update action as PUT (Resources/routes.json). */
export const patchDocument = updateDocument;
