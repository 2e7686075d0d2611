// ONLYOFFICE registers every route a second time with the .json extension; the twins must
// behave exactly like the plain routes.
import { scenario } from '../../kit/scenario.ts';
import { currentTarget } from '../../kit/current-target.ts';
import { hasPassword } from './auth.ts';
import { call, describeEntity, entityPath, listedIds, occurrences, responseOf, targetEntity, testBytes, uploadFile, verifyAttachEvent, type RelationshipEvent } from './steps.ts';
import { onlyofficeExpectations as expected } from './expectations.ts';

const target = currentTarget();

scenario('The .json routes: upload → attach → list → delete, and the root folder', async (s) => {
  const entity = targetEntity(s);
  if (hasPassword(target)) {
    const { username, password } = s.target.credentials;
    const issued = await call(s, 'authenticateJson', { json: { userName: username, password }, auth: 'none', expect: { status: 201 }, step: 'log in at authentication.json' });
    const token = responseOf<{ token?: string }>(issued)?.token;
    if (token) s.redactor.add(token);
  }
  const root = responseOf<number>(await call(s, 'getCrmRootFolderJson', { expect: { status: 200 }, step: 'read the root folder at root.json' }));
  const file = await uploadFile(s, 'json-route', testBytes(900, 6), 'multipart', 'uploadCrmFileJson');
  s.verify(expected.upload_in_crm_root, file.file.folderId === root, `file ${file.id} is in folder ${file.file.folderId}, not the CRM root folder ${root}`);
  const attached = await call(s, 'attachCrmFilesJson', { path: entityPath(entity), json: { fileids: [file.id] }, expect: { status: 201 }, step: `attach at files.json to ${describeEntity(entity)}` });
  verifyAttachEvent(s, responseOf<RelationshipEvent>(attached), entity, [file.id]);
  const listed = await listedIds(s, entity, 'list at files.json', 'listCrmEntityFilesJson');
  s.verify(expected.attach_lists_files, occurrences(listed, file.id) === 1, `file ${file.id} is listed ${occurrences(listed, file.id)} time(s) at files.json, expected once`);
  await call(s, 'deleteCrmFileJson', { path: { fileid: file.id }, expect: { status: 200 }, step: 'delete at files/{id}.json' });
  const after = await listedIds(s, entity, 'list at files.json after deleting', 'listCrmEntityFilesJson');
  s.verify(expected.delete_unlinks_file, !after.includes(file.id), `deleted file ${file.id} is still listed`);
});
