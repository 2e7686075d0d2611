// --read-only: GETs only, on the record named by --entity-type/--entity-id. Nothing is created;
// with --username/--password the run still logs in once per file to get its token.
import { scenario } from '../../../kit/scenario.ts';
import { call, describeEntity, entityPath, missingEntityId, responseOf, targetEntity, viewPath, type FileWrapper } from '../steps.ts';
import { onlyofficeExpectations as expected } from '../expectations.ts';

scenario('Read-only: the root folder, the record’s files (one downloaded whole), an unknown record and an unknown type', async (s) => {
  const entity = targetEntity(s);
  const root = responseOf<number>(await call(s, 'getCrmRootFolder', { expect: { status: 200 }, step: 'read the CRM root folder id' }));
  s.verify(expected.root_folder_id, Number.isInteger(root), `the root folder id is ${JSON.stringify(root)}, expected an integer`);
  const files = responseOf<FileWrapper[]>(await call(s, 'listCrmEntityFiles', { path: entityPath(entity), expect: { status: 200 }, step: `list ${describeEntity(entity)}` })) ?? [];
  const sample = files.find((file) => typeof file.viewUrl === 'string');
  if (sample) {
    await s.request('GET', viewPath(s, sample.viewUrl!), { expect: { status: 200, record: { ...sample } }, step: `download file ${sample.id} from its viewUrl` });
  }
  const unknown = { type: entity.type, id: missingEntityId };
  const none = responseOf<unknown[]>(await call(s, 'listCrmEntityFiles', { path: entityPath(unknown), expect: { status: 200 }, step: `list ${describeEntity(unknown)}` }));
  s.verify(expected.unknown_entity_lists_nothing, Array.isArray(none) && none.length === 0, `listing ${describeEntity(unknown)} gave ${JSON.stringify(none)?.slice(0, 80)}, expected []`);
  await call(s, 'listCrmEntityFiles', { path: { entityType: 'lead', entityid: entity.id }, expect: { status: 404, refused: true, because: expected.route_constraints_404 }, step: 'list entity type lead' });
});
