// The refusals of the API, each in Case IQ's error shape ({name, httpstatus, meta,
// message: CODE}). Refused uploads create nothing on a server that keeps the contract; on one
// that accepts them they stay in the case (Case IQ has no delete). Case IQ documents few of them
// (required parts, the caseId's form, unknown ids): the rest are assumptions (see expectations.ts).
import type { Expectation } from '../../kit/expectations.ts';
import { scenario } from '../../kit/scenario.ts';
import { caseiqExpectations as expected } from './expectations.ts';
import { caseId, expectCaseIqError, saveFileForm, unknownId, upload } from './steps.ts';

const file = { bytes: Buffer.from('attachkit refused upload'), mimeType: 'text/plain', fileName: 'attachkit-refused.txt' };

scenario('save_file refuses a part after the file, a missing file or caseId, a non-UUID caseId (400) and an unknown case (404)', async (s) => {
  const target = caseId(s);
  const named = { ...file, fileName: `${s.name('refused')}.txt` };
  const cases: Array<[string, FormData, number, Expectation]> = [
    ['a description part after the file', saveFileForm({ caseId: target }, [], named, { description: 'sent after the file' }), 400, expected.file_last_enforced],
    ['the caseId part after the file', saveFileForm({}, [], named, { caseId: target }), 400, expected.file_last_enforced],
    ['no file part', saveFileForm({ caseId: target, description: 'no file' }, []), 400, expected.upload_refusals],
    ['no caseId part', saveFileForm({}, [], named), 400, expected.upload_refusals],
    ['a caseId that is not a UUID', saveFileForm({ caseId: 'not-a-uuid' }, [], named), 400, expected.upload_refusals],
    ['a caseId naming no case', saveFileForm({ caseId: unknownId() }, [], named), 404, expected.unknown_case_404],
  ];
  for (const [what, form, status, because] of cases) {
    await expectCaseIqError(s, 'saveFile', { form, status, because, step: `save_file with ${what}` });
  }
});

scenario('getAttachment and downloadAttachment: unknown id 404, non-UUID id 400', async (s) => {
  for (const operationId of ['getAttachment', 'downloadAttachment']) {
    await expectCaseIqError(s, operationId, { path: { id: unknownId() }, status: 404, because: expected.unknown_attachment_404, step: `${operationId} of an unknown id` });
    await expectCaseIqError(s, operationId, { path: { id: 'not-a-uuid' }, status: 400, because: expected.malformed_id_400, step: `${operationId} of a non-UUID id` });
  }
});

scenario('listAttachments refuses bad limit, sort, order, cursors and repeated filters with 400', async (s) => {
  // One record, so a server that wrongly reads the bad value still has something to list.
  await upload(s, { ...file, fileName: `${s.name('list-errors')}.txt` });
  const cases: Array<[string, Record<string, string | number | string[]>]> = [
    ['limit=0', { limit: 0 }],
    ['limit=101', { limit: 101 }],
    ['limit=abc', { limit: 'abc' }],
    ['limit=2.5', { limit: '2.5' }],
    ['sort on an unknown field', { sort: 'attachkitNoSuchField' }],
    ['order=sideways', { order: 'sideways' }],
    ['after that is not a createdDate', { after: 'not-a-date' }],
    ['before that is not a createdDate (tie-safe form)', { before: `yesterday|${unknownId()}` }],
    ['after that is not a sizeBytes value', { sort: 'sizeBytes', after: 'big' }],
    ['the same filter twice', { fileFormat: ['pdf', 'txt'] }],
  ];
  for (const [what, query] of cases) {
    await expectCaseIqError(s, 'listAttachments', { query: { objectId: caseId(s), ...query }, status: 400, because: expected.list_refusals, step: `list with ${what}` });
  }
});
