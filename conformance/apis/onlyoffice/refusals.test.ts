// The errors the contract promises, each in ONLYOFFICE's error envelope (the shared checks
// judge status, content type and schema; the steps also check statusCode, status and casing).
import type { Expectation } from '../../kit/expectations.ts';
import { scenario } from '../../kit/scenario.ts';
import { call, deleteLater, describeEntity, entityPath, missingEntityId, responseOf, targetEntity, type FileWrapper } from './steps.ts';
import { onlyofficeExpectations as expected } from './expectations.ts';

scenario('A record that does not exist: attaching is 404 Not found, listing is an empty 200 (no existence check)', async (s) => {
  const missing = { type: targetEntity(s).type, id: missingEntityId };
  await call(s, 'attachCrmFiles', {
    path: entityPath(missing),
    json: { fileids: [] },
    expect: { status: 404, refused: true, because: expected.attach_unknown_entity_404 },
    step: `attach to ${describeEntity(missing)}`,
  });
  const listed = await call(s, 'listCrmEntityFiles', { path: entityPath(missing), expect: { status: 200, because: expected.unknown_entity_lists_nothing }, step: `list ${describeEntity(missing)}` });
  const files = responseOf<unknown[]>(listed);
  s.verify(expected.unknown_entity_lists_nothing, Array.isArray(files) && files.length === 0, `listing ${describeEntity(missing)} gave ${JSON.stringify(files)?.slice(0, 80)}, expected []`);
});

scenario('Routes admit only contact|opportunity|case and digits (else 404); entityid 0 is 400', async (s) => {
  const id = targetEntity(s).id;
  const cases: Array<[string, string, Record<string, string | number>, number, Expectation]> = [
    ['attachCrmFiles', 'attach to entity type lead', { entityType: 'lead', entityid: id }, 404, expected.route_constraints_404],
    ['listCrmEntityFiles', 'list entity type lead', { entityType: 'lead', entityid: id }, 404, expected.route_constraints_404],
    ['listCrmEntityFiles', 'list a non-numeric entityid', { entityType: 'contact', entityid: 'abc' }, 404, expected.route_constraints_404],
    ['attachCrmFiles', 'attach to entityid 0', { entityType: 'contact', entityid: 0 }, 400, expected.entity_id_zero_400],
    ['listCrmEntityFiles', 'list entityid 0', { entityType: 'contact', entityid: 0 }, 400, expected.entity_id_zero_400],
  ];
  for (const [operationId, step, path, status, because] of cases) {
    const json = operationId === 'attachCrmFiles' ? { json: { fileids: [] } } : {};
    await call(s, operationId, { path, ...json, expect: { status, refused: true, because }, step });
  }
});

scenario('fileids that do not convert to Int32 are refused with 400', async (s) => {
  const entity = targetEntity(s);
  // A string fails the Int32 conversion in the binder; whether Json.NET turns true or 1.5 into an
  // Int32 (1, 2) or refuses it was not settled from the source.
  const cases: Array<[unknown[], Expectation]> = [
    [['abc'], expected.attach_bad_fileid_400],
    [[true], expected.attach_non_integer_fileid_400],
    [[1.5], expected.attach_non_integer_fileid_400],
  ];
  for (const [fileids, because] of cases) {
    await call(s, 'attachCrmFiles', { path: entityPath(entity), json: { fileids }, expect: { status: 400, refused: true, because }, step: `attach fileids ${JSON.stringify(fileids)}` });
  }
});

scenario('An upload without a file stores nothing and is refused (ONLYOFFICE: 500, documented; reference server: 400)', async (s) => {
  const entity = targetEntity(s);
  const form = new FormData();
  form.append('note', 'a form with a text field and no file part');
  for (const [step, body] of [
    ['upload with no body', {}],
    ['upload a form without a file part', { form }],
  ] as const) {
    const answer = await call(s, 'uploadCrmFile', { path: entityPath(entity), ...body, step });
    const stored = responseOf<FileWrapper>(answer)?.id;
    if (answer.status < 300 && typeof stored === 'number') deleteLater(s, stored);
    s.verify(expected.upload_without_file_refused, answer.status >= 400, `${step} was answered ${answer.status}${typeof stored === 'number' ? ` and stored file ${stored}` : ''}`);
  }
});
