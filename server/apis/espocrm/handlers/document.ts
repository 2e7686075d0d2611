import type { Request, Response } from 'express';
import type { ApiContext } from '../../../kit/server-api.ts';
import { principalOf } from '../access.ts';
import { espoErrors } from '../errors.ts';
import { espoNow, newEspoId } from '../ids.ts';
import { checkAttachmentLink } from '../link-check.ts';
import { accessibleRecord, checkVersion, nextVersion } from '../records.ts';
import { EspoRepository, type RecordRow } from '../repository.ts';

const readOnly = ['id', 'fileName', 'createdAt', 'modifiedAt', 'createdById', 'createdByName', 'modifiedById', 'modifiedByName', 'deleted', 'versionNumber'];
const fileLink = { entityType: 'Document', field: 'file', link: 'file' };

function documentAttributes(repo: EspoRepository, record: RecordRow): Record<string, unknown> {
  const fileId = record.attributes.fileId as string | null | undefined;
  const file = fileId ? repo.findAttachment(fileId) : undefined;
  return { ...record.attributes, id: record.id, deleted: false, fileId: fileId ?? null, fileName: file?.name ?? null };
}

function writable(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !readOnly.includes(key)));
}

export async function createDocument(req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const principal = principalOf(res);
  const input = writable((req.body ?? {}) as Record<string, unknown>);
  if (typeof input.name !== 'string' || input.name === '') throw espoErrors.validationFailure('Document', 'name', 'required');
  if (input.fileId === undefined || input.fileId === null || input.fileId === '') throw espoErrors.validationFailure('Document', 'file', 'required');
  const fileId = checkAttachmentLink(repo, principal, input.fileId, fileLink, ctx.faults);
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
  repo.transaction(() => {
    repo.insertRecord(record);
    // File fields record the owner on the attachment (FieldProcessing/File/Saver.php).
    repo.updateAttachment(fileId, { related_type: 'Document', related_id: record.id, field: 'file' });
  });
  res.status(200).json(documentAttributes(repo, record));
}

export async function getDocument(_req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const record = accessibleRecord(repo, 'Document', res, 'read');
  res.status(200).json(documentAttributes(repo, record));
}

/** PUT Document/{id}: a changed fileId links the new attachment and deletes the previous one. */
export async function updateDocument(req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const principal = principalOf(res);
  const record = accessibleRecord(repo, 'Document', res, 'edit');
  const id = record.id;
  checkVersion(req, record);
  const input = writable((req.body ?? {}) as Record<string, unknown>);
  if ('name' in input && (typeof input.name !== 'string' || input.name === '')) throw espoErrors.validationFailure('Document', 'name', 'required');
  const previousFileId = record.attributes.fileId as string | undefined;
  let linked: string | undefined;
  if ('fileId' in input && input.fileId !== previousFileId) {
    if (input.fileId === null || input.fileId === '') throw espoErrors.validationFailure('Document', 'file', 'required');
    linked = checkAttachmentLink(repo, principal, input.fileId, fileLink, ctx.faults);
  }
  // Fault: the old attachment survives the replacement (a leak EspoCRM does not have).
  const superseded = linked && previousFileId && !ctx.faults.has('replaced-file-kept') ? previousFileId : undefined;
  const attributes = { ...record.attributes, ...input, modifiedAt: espoNow(), modifiedById: principal.id, versionNumber: nextVersion(record) };
  const blobKey = repo.transaction(() => {
    repo.updateRecordAttributes(id, attributes);
    if (linked) repo.updateAttachment(linked, { related_type: 'Document', related_id: id, field: 'file' });
    return superseded ? repo.deleteAttachment(superseded) : undefined;
  });
  if (blobKey) await ctx.store.blobs.remove(blobKey);
  res.status(200).json(documentAttributes(repo, { ...record, attributes }));
}

/** DELETE Document/{id}: the record and the attachment in its file field go together. */
export async function deleteDocument(_req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const record = accessibleRecord(repo, 'Document', res, 'delete');
  const id = record.id;
  const fileId = record.attributes.fileId as string | undefined;
  const blobKey = repo.transaction(() => {
    repo.deleteRecord(id);
    return fileId ? repo.deleteAttachment(fileId) : undefined;
  });
  if (blobKey) await ctx.store.blobs.remove(blobKey);
  res.status(200).json(true);
}
