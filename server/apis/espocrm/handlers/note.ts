import type { Request, Response } from 'express';
import type { ApiContext } from '../../../kit/server-api.ts';
import { principalOf } from '../access.ts';
import { espoErrors } from '../errors.ts';
import { espoNow, newEspoId } from '../ids.ts';
import { checkAttachmentLink } from '../link-check.ts';
import { accessibleRecord, checkVersion, nextVersion } from '../records.ts';
import { EspoRepository, type RecordRow } from '../repository.ts';

const readOnly = ['id', 'attachmentsNames', 'attachmentsTypes', 'createdAt', 'modifiedAt', 'createdById', 'createdByName', 'modifiedById', 'deleted', 'versionNumber'];
const attachmentsLink = { entityType: 'Note', field: 'attachments', link: 'attachments' };

/** Attachment-Multiple fields expose `<f>Ids`, `<f>Names` and `<f>Types` (LinkConverters/Attachments.php). */
function noteAttributes(repo: EspoRepository, record: RecordRow): Record<string, unknown> {
  const attachments = repo.attachmentsOf('Note', record.id, 'attachments');
  const { attachmentsIds: _stored, ...attributes } = record.attributes;
  return {
    ...attributes,
    id: record.id,
    deleted: false,
    attachmentsIds: attachments.map((a) => a.id),
    attachmentsNames: Object.fromEntries(attachments.map((a) => [a.id, a.name])),
    attachmentsTypes: Object.fromEntries(attachments.map((a) => [a.id, a.type])),
  };
}

function writable(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !readOnly.includes(key)));
}

function requestedIds(input: Record<string, unknown>): unknown[] | undefined {
  if (!('attachmentsIds' in input) || input.attachmentsIds === null) return undefined;
  if (!Array.isArray(input.attachmentsIds)) throw espoErrors.validationFailure('Note', 'attachments', 'valid');
  return input.attachmentsIds;
}

export async function createNote(req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const principal = principalOf(res);
  const input = writable((req.body ?? {}) as Record<string, unknown>);
  const type = typeof input.type === 'string' ? input.type : 'Post';
  if (!principal.isAdmin && type !== 'Post') throw espoErrors.onlyPostTypeAllowed();
  const ids = requestedIds(input) ?? [];
  const attachments = ids.map((id) => checkAttachmentLink(repo, principal, id, attachmentsLink, ctx.faults));
  const now = espoNow();
  const { attachmentsIds: _ids, ...rest } = input;
  const record: RecordRow = {
    id: newEspoId(),
    entity_type: 'Note',
    created_at: now,
    attributes: { ...rest, type, versionNumber: 1, createdAt: now, modifiedAt: now, createdById: principal.id, createdByName: principal.name },
  };
  repo.transaction(() => {
    repo.insertRecord(record);
    for (const id of attachments) repo.updateAttachment(id, { parent_type: 'Note', parent_id: record.id, field: 'attachments' });
  });
  res.status(200).json(noteAttributes(repo, record));
}

export async function getNote(_req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const record = accessibleRecord(repo, 'Note', res, 'read');
  res.status(200).json(noteAttributes(repo, record));
}

/** PUT Note/{id}: attachmentsIds replaces the whole list; omitted attachments are unlinked. */
export async function updateNote(req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const principal = principalOf(res);
  const record = accessibleRecord(repo, 'Note', res, 'edit');
  const id = record.id;
  if (!principal.isAdmin && record.attributes.type !== 'Post') throw espoErrors.noteNotEditable();
  checkVersion(req, record);
  const input = writable((req.body ?? {}) as Record<string, unknown>);
  if (!principal.isAdmin && 'type' in input && input.type !== 'Post') throw espoErrors.onlyPostTypeAllowed();
  const ids = requestedIds(input);
  const attachments = ids?.map((aid) => checkAttachmentLink(repo, principal, aid, attachmentsLink, ctx.faults));
  const { attachmentsIds: _ids, ...rest } = input;
  const attributes = { ...record.attributes, ...rest, modifiedAt: espoNow(), modifiedById: principal.id, versionNumber: nextVersion(record) };
  repo.transaction(() => {
    repo.updateRecordAttributes(id, attributes);
    if (!attachments) return;
    const keep = new Set(attachments);
    // Fault: PUT appends instead of replacing, so omitted attachments stay linked.
    if (!ctx.faults.has('note-put-appends')) {
      for (const current of repo.attachmentsOf('Note', id, 'attachments')) {
        if (!keep.has(current.id)) repo.updateAttachment(current.id, { parent_type: null, parent_id: null });
      }
    }
    for (const aid of attachments) repo.updateAttachment(aid, { parent_type: 'Note', parent_id: id, field: 'attachments' });
  });
  res.status(200).json(noteAttributes(repo, { ...record, attributes }));
}

/** DELETE Note/{id}: the note and the attachments still linked to it. */
export async function deleteNote(_req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const repo = new EspoRepository(ctx.store);
  const record = accessibleRecord(repo, 'Note', res, 'delete');
  const id = record.id;
  const blobKeys = repo.transaction(() => {
    const keys = repo.attachmentsOf('Note', id, 'attachments').map((a) => repo.deleteAttachment(a.id));
    repo.deleteRecord(id);
    return keys;
  });
  for (const key of blobKeys) if (key) await ctx.store.blobs.remove(key);
  res.status(200).json(true);
}
