import type { Response } from 'express';
import { requestState } from '../../kit/server-api.ts';
import type { EspoPrincipal } from './auth.ts';
import type { AttachmentRow, EspoRepository, RecordRow } from './repository.ts';

export function principalOf(res: Response): EspoPrincipal {
  return requestState(res).principal as EspoPrincipal;
}

/**
 * The development API user has an "own" role for Document and Note (read, edit and delete only the
 * records it created), a common EspoCRM setup for integration users; admins reach everything.
 */
export function canAccessRecord(record: RecordRow, principal: EspoPrincipal): boolean {
  return principal.isAdmin || record.attributes.createdById === principal.id;
}

/**
 * Read access to an attachment (Classes/Acl/Attachment/AccessChecker.php): admins read all;
 * others read attachments they created, or whose parent or related record they can read.
 */
export async function canReadAttachment(row: AttachmentRow, principal: EspoPrincipal, repo: EspoRepository): Promise<boolean> {
  if (principal.isAdmin || row.created_by_id === principal.id) return true;
  for (const [type, id] of [[row.parent_type, row.parent_id], [row.related_type, row.related_id]]) {
    const owner = type && id ? await repo.findRecord(type, id) : undefined;
    if (owner && canAccessRecord(owner, principal)) return true;
  }
  return false;
}
