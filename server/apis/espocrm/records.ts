import type { Request, Response } from 'express';
import { pathParam } from '../../kit/server-api.ts';
import { canAccessRecord, principalOf } from './access.ts';
import { readSearchParams, searchList } from './search-params.ts';
import { espoErrors } from './errors.ts';
import type { EspoRepository, RecordRow } from './repository.ts';

/**
 * Loads a Document or Note the caller may act on: 404 when missing, 403 without access. For
 * edit and delete the row stays locked until the caller's transaction ends, so a concurrent
 * update through another instance waits and then sees the new version (409, not a lost update).
 */
export async function accessibleRecord(repo: EspoRepository, entityType: string, res: Response, action: 'read' | 'edit' | 'delete'): Promise<RecordRow> {
  const id = pathParam(res, 'id');
  const record = await repo.findRecord(entityType, id, { lock: action !== 'read' });
  if (!record) throw action === 'read' ? espoErrors.recordNotFound(id) : espoErrors.recordNotFoundForWrite(id);
  if (!canAccessRecord(record, principalOf(res))) throw action === 'read' ? espoErrors.noReadAccess() : espoErrors.noRecordAccess(action);
  return record;
}

/**
 * Optimistic concurrency (Core/Record/Service.php::processConcurrencyControl): a PUT that sends
 * `X-Version-Number` older than the record's gets 409 `modified` with the current values.
 */
export function checkVersion(req: Request, record: RecordRow): void {
  const sent = req.get('X-Version-Number');
  const current = Number(record.attributes.versionNumber ?? 1);
  if (sent === undefined || Number(sent) === current) return;
  const { modifiedAt, modifiedById } = record.attributes as { modifiedAt?: unknown; modifiedById?: unknown };
  throw espoErrors.modified({ modifiedAt, modifiedById: modifiedById ?? record.attributes.createdById }, current);
}

export function nextVersion(record: RecordRow): number {
  return Number(record.attributes.versionNumber ?? 1) + 1;
}

/**
 * GET Document / GET Note: the records the user may read, as for a single read (own records, for
 * the API users), one page as `{total, list}`. Both entities' default order is creation, newest
 * first (Document: `createdAt` desc; Note: `number` desc, which follows creation).
 */
export async function listReadable(
  req: Request,
  res: Response,
  repo: EspoRepository,
  entityType: string,
  attributes: (records: RecordRow[]) => Promise<Array<Record<string, unknown>>>,
): Promise<{ total: number; list: Array<Record<string, unknown>> }> {
  const params = readSearchParams(req);
  const principal = principalOf(res);
  const readable = (await repo.listRecords(entityType)).filter((record) => canAccessRecord(record, principal));
  // Every readable record's attributes (filters and order may name any), their linked
  // attachments read in batches rather than a query per record.
  return searchList(entityType, await attributes(readable), params, { orderBy: 'createdAt', order: 'DESC' });
}
