// What attachCrmFiles accepts that looks wrong: ONLYOFFICE's argument binder reads a missing
// `fileids` as an empty list, and ids that name no file are skipped, not refused.
import { scenario } from '../../kit/scenario.ts';
import { call, describeEntity, entityPath, listedIds, responseOf, targetEntity, testBytes, uploadFile, verifyAttachEvent, type RelationshipEvent } from './steps.ts';
import { onlyofficeExpectations as expected } from './expectations.ts';

scenario('attachCrmFiles without fileids creates an event with no files (201), as the binder reads it as []', async (s) => {
  const entity = targetEntity(s);
  const answer = await call(s, 'attachCrmFiles', {
    path: entityPath(entity),
    json: {},
    expect: { status: 201, because: expected.attach_without_fileids },
    step: `attach with a body without fileids to ${describeEntity(entity)}`,
  });
  if (answer.status === 201) verifyAttachEvent(s, responseOf<RelationshipEvent>(answer), entity, []);
});

scenario('attachCrmFiles skips ids that name no file and attaches the rest (201)', async (s) => {
  const entity = targetEntity(s);
  const kept = await uploadFile(s, 'known-id', testBytes(700, 3));
  const gone = await uploadFile(s, 'deleted-id', testBytes(300, 4));
  // Ids are never reused, so a file deleted now names no file, on any deployment.
  await call(s, 'deleteCrmFile', { path: { fileid: gone.id }, expect: { status: 200 }, step: 'delete the second upload so that its id names no file' });
  const answer = await call(s, 'attachCrmFiles', {
    path: entityPath(entity),
    json: { fileids: [kept.id, gone.id] },
    expect: { status: 201, because: expected.attach_skips_unknown_ids },
    step: `attach an existing and a deleted file id to ${describeEntity(entity)}`,
  });
  if (answer.status === 201) verifyAttachEvent(s, responseOf<RelationshipEvent>(answer), entity, [kept.id]);
  const listed = await listedIds(s, entity, 'list after attaching');
  s.verify(expected.attach_lists_files, listed.includes(kept.id), `the existing file ${kept.id} is not listed after attaching`);
  s.verify(expected.attach_skips_unknown_ids, !listed.includes(gone.id), `the deleted id ${gone.id} is listed`);
});
