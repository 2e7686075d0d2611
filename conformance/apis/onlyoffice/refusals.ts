import type { RefusalRule } from '../../kit/refusals.ts';
import { onlyofficeExpectations as expected } from './expectations.ts';

/**
 * The generated invalid requests ONLYOFFICE is known to refuse: path segments its route templates
 * do not admit, ids the binder cannot use, form values that do not convert, and file handler calls
 * without a known action. The rest (e.g. a file id that is not a number on the file handler) are
 * sent, and a miss is an observation.
 */
export const onlyofficeRefusals: RefusalRule[] = [
  { kinds: ['type', 'enum'], fields: ['path.entityType'], because: expected.route_constraints_404 },
  { kinds: ['type'], fields: ['path.entityid', 'path.fileid'], because: expected.route_constraints_404 },
  { kinds: ['range'], fields: ['path.entityid', 'path.fileid'], because: expected.path_id_refused },
  { kinds: ['pattern'], fields: ['body.storeOriginalFileFlag'], because: expected.bad_primitive_400 },
  { kinds: ['required', 'type', 'enum'], operations: ['downloadFile'], fields: ['query.action'], because: expected.file_handler_action_400 },
];
