import type { EspoPrincipal } from './auth.ts';
import { canReadAttachment } from './access.ts';
import { espoErrors } from './errors.ts';
import { idPattern } from './ids.ts';
import type { EspoRepository } from './repository.ts';

/**
 * Field validation of a link id (FieldValidators/LinkType.php: only the id pattern) followed by
 * LinkCheck (Core/Record/Access/LinkCheck.php: the record exists and the user can read it).
 * There is deliberately no check that the attachment was uploaded for this field or parent.
 */
export async function checkAttachmentLink(
  repo: EspoRepository,
  principal: EspoPrincipal,
  id: unknown,
  target: { entityType: string; field: string; link: string },
  faults: ReadonlySet<string>,
): Promise<string> {
  if (typeof id !== 'string' || !idPattern.test(id)) throw espoErrors.validationFailure(target.entityType, target.field, 'valid');
  const row = await repo.findAttachment(id);
  // Fault: the existence and access checks are skipped, so a dangling id is stored.
  if (faults.has('link-check-skipped')) return id;
  if (!row) throw espoErrors.cannotRelateNonExisting(target.entityType, target.link);
  if (!(await canReadAttachment(row, principal, repo))) throw espoErrors.cannotRelateForbidden(target.entityType, target.link);
  return row.id;
}
