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

const attachmentsLink = { entityType: 'Note', field: 'attachments', link: 'attachments' };

/** Attachment-Multiple fields expose `<f>Ids`, `<f>Names` and `<f>Types` (LinkConverters/Attachments.php). */
async function notesAttributes(repo: EspoRepository, records: RecordRow[]): Promise<Array<Record<string, unknown>>> {
  // One query per 500 Notes, not one per Note (list pages).
  const attachmentsOf = await repo.attachmentsOfEach('Note', records.map((record) => record.id), 'attachments');
  return records.map((record) => {
    const attachments = attachmentsOf.get(record.id) ?? [];
    const { attachmentsIds: _stored, ...attributes } = record.attributes;
    return {
      ...attributes,
      id: record.id,
      deleted: false,
      attachmentsIds: attachments.map((a) => a.id),
      attachmentsNames: Object.fromEntries(attachments.map((a) => [a.id, a.name])),
      attachmentsTypes: Object.fromEntries(attachments.map((a) => [a.id, a.type])),
    };
  });
}

async function noteAttributes(repo: EspoRepository, record: RecordRow): Promise<Record<string, unknown>> {
  return (await notesAttributes(repo, [record]))[0];
}

function requestedIds(input: Record<string, unknown>): unknown[] | undefined {
  if (!('attachmentsIds' in input) || input.attachmentsIds === null) return undefined;
  if (!Array.isArray(input.attachmentsIds)) throw espoErrors.validationFailure('Note', 'attachments', 'valid');
  // Ours (Note.attachments has no maxCount in EspoCRM): one request may not link more than this.
  if (input.attachmentsIds.length > 1000) throw espoErrors.validationFailure('Note', 'attachments', 'maxCount');
  return input.attachmentsIds;
}

export async function createNote(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  const principal = principalOf(res);
  const input = castAttributes('Note', writableAttributes('Note', (req.body ?? {}) as Record<string, unknown>));
  const type = typeof input.type === 'string' ? input.type : 'Post';
  if (!principal.isAdmin && type !== 'Post') throw espoErrors.onlyPostTypeAllowed();
  const ids = requestedIds(input) ?? [];
  const attachments: string[] = [];
  for (const id of ids) attachments.push(await checkAttachmentLink(repo, principal, id, attachmentsLink, ctx.faults));
  const now = espoNow();
  const { attachmentsIds: _ids, ...rest } = input;
  const record: RecordRow = {
    id: newEspoId(),
    entity_type: 'Note',
    created_at: now,
    attributes: { ...rest, type, versionNumber: 1, createdAt: now, modifiedAt: now, createdById: principal.id, createdByName: principal.name },
  };
  await repo.transaction(async (tx) => {
    await tx.insertRecord(record);
    for (const id of attachments) await tx.updateAttachment(id, { parent_type: 'Note', parent_id: record.id, field: 'attachments' });
  });
  res.status(200).json(await noteAttributes(repo, record));
}

export async function getNote(_req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  const record = await accessibleRecord(repo, 'Note', res, 'read');
  res.status(200).json(await noteAttributes(repo, record));
}

/** PUT Note/{id}: attachmentsIds replaces the whole list; omitted attachments are unlinked. */
export async function updateNote(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const principal = principalOf(res);
  const input = castAttributes('Note', writableAttributes('Note', (req.body ?? {}) as Record<string, unknown>));
  // Read, check the version and write in one transaction holding the note's row.
  const { record, attributes } = await new EspoRepository(ctx.ws).transaction(async (tx) => {
    const record = await accessibleRecord(tx, 'Note', res, 'edit');
    const id = record.id;
    if (!principal.isAdmin && record.attributes.type !== 'Post') throw espoErrors.noteNotEditable();
    checkVersion(req, record);
    if (!principal.isAdmin && 'type' in input && input.type !== 'Post') throw espoErrors.onlyPostTypeAllowed();
    const ids = requestedIds(input);
    let attachments: string[] | undefined;
    if (ids) {
      attachments = [];
      for (const aid of ids) attachments.push(await checkAttachmentLink(tx, principal, aid, attachmentsLink, ctx.faults));
    }
    const { attachmentsIds: _ids, ...rest } = input;
    const attributes = { ...record.attributes, ...rest, modifiedAt: espoNow(), modifiedById: principal.id, versionNumber: nextVersion(record) };
    await tx.updateRecordAttributes(id, attributes);
    if (attachments) {
      const keep = new Set(attachments);
      // Fault: PUT appends instead of replacing, so omitted attachments stay linked.
      if (!ctx.faults.has('note-put-appends')) {
        for (const current of await tx.attachmentsOf('Note', id, 'attachments')) {
          if (!keep.has(current.id)) await tx.updateAttachment(current.id, { parent_type: null, parent_id: null });
        }
      }
      for (const aid of attachments) await tx.updateAttachment(aid, { parent_type: 'Note', parent_id: id, field: 'attachments' });
    }
    return { record, attributes };
  });
  res.status(200).json(await noteAttributes(new EspoRepository(ctx.ws), { ...record, attributes }));
}

/** DELETE Note/{id}: the record only; its attachments stay, as for deleteDocument. */
export async function deleteNote(_req: Request, res: Response, ctx: RequestContext): Promise<void> {
  await new EspoRepository(ctx.ws).transaction(async (tx) => {
    const record = await accessibleRecord(tx, 'Note', res, 'delete');
    await tx.deleteRecord(record.id);
  });
  res.status(200).json(true);
}

/** GET Note: one page of the Notes the user may read, as `{total, list}`. */
export async function listNotes(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new EspoRepository(ctx.ws);
  res.status(200).json(await listReadable(req, res, repo, 'Note', (records) => notesAttributes(repo, records)));
}

/** PATCH Note/{id}: routed to the same update action as PUT (Resources/routes.json). */
export const patchNote = updateNote;
