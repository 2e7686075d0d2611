import type { Response } from 'express';
import { requestState } from '../../kit/server-api.ts';
import type { EspoPrincipal } from './auth.ts';
import type { AttachmentRow, EspoRepository } from './repository.ts';

export function principalOf(res: Response): EspoPrincipal {
  return requestState(res).principal as EspoPrincipal;
}

/**
 * Read access to an attachment (Classes/Acl/Attachment/AccessChecker.php), for the records the
 * reference server models (Document and Note are readable by every user): admins read all; others
 * read attachments whose parent or related record exists, or that they created.
 */
export function canReadAttachment(row: AttachmentRow, principal: EspoPrincipal, repo: EspoRepository): boolean {
  if (principal.isAdmin || row.created_by_id === principal.id) return true;
  if (row.parent_type && row.parent_id && repo.findRecord(row.parent_type, row.parent_id)) return true;
  if (row.related_type && row.related_id && repo.findRecord(row.related_type, row.related_id)) return true;
  return false;
}
