import type { Request, Response } from 'express';
import { pathParam } from '../../kit/server-api.ts';
import { canAccessRecord, principalOf } from './access.ts';
import { espoErrors } from './errors.ts';
import type { EspoRepository, RecordRow } from './repository.ts';

/** Loads a Document or Note the caller may act on: 404 when missing, 403 without access. */
export function accessibleRecord(repo: EspoRepository, entityType: string, res: Response, action: 'read' | 'edit' | 'delete'): RecordRow {
  const id = pathParam(res, 'id');
  const record = repo.findRecord(entityType, id);
  if (!record) throw espoErrors.recordNotFound(id);
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
