import type { RefusalRule } from '../../kit/refusals.ts';
import { espocrmExpectations as expected } from './expectations.ts';

/**
 * The generated invalid requests EspoCRM is known to refuse. Type errors are not sent at all
 * (x-attachkit-lenient: PHP casts scalars); a body of another media type is read as {}, so only
 * the operations that then miss a required field refuse it (the others are lenient in the contract).
 */
export const espocrmRefusals: RefusalRule[] = [
  { kinds: ['required', 'length', 'pattern', 'range', 'enum'], fields: ['body.name', 'body.size', 'body.status', 'body.fileId'], because: expected.field_validation_refused },
  { kinds: ['required', 'length'], operations: ['createAttachment'], fields: ['body.field'], because: expected.upload_input_refused },
  { kinds: ['pattern'], operations: ['createAttachment'], fields: ['body.file'], because: expected.upload_input_refused },
  { kinds: ['content-type'], operations: ['createAttachment', 'createDocument'], because: expected.unsupported_body_refused },
];
