import type { RefusalRule } from '../../kit/refusals.ts';
import { caseiqExpectations as expected } from './expectations.ts';

/**
 * The generated invalid requests Case IQ is known to refuse, from its documentation: save_file's
 * required parts and the caseId's UUID form, and the token endpoint's credentials and ttl. List
 * parameters and attachment ids have no documented bounds or refusals (assumed).
 */
export const caseiqRefusals: RefusalRule[] = [
  { kinds: ['required', 'format', 'binary-as-text'], operations: ['saveFile'], fields: ['body.caseId', 'body.file'], because: expected.upload_refusals },
  { kinds: ['required', 'type', 'range'], operations: ['requestToken'], fields: ['body.client_id', 'body.client_secret', 'body.ttl'], because: expected.token_refusals },
  { kinds: ['type', 'range', 'enum'], operations: ['listAttachments'], because: expected.list_refusals },
  { kinds: ['type', 'format'], operations: ['getAttachment', 'downloadAttachment'], fields: ['path.id'], because: expected.malformed_id_400 },
];
