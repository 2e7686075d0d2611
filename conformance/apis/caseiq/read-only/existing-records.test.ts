// --read-only: GETs only, on what the case (--case-id) and the attachment (--attachment-id)
// already hold. Nothing is uploaded, so the paging walks judge the case's own records: every
// mode must list the same records, each once, in (sort, id) order.
import { scenario } from '../../../kit/scenario.ts';
import { currentTarget } from '../../../kit/current-target.ts';
import { caseId, expectCaseIqError, listPage, unknownId } from '../steps.ts';
import { caseiqExpectations as expected } from '../expectations.ts';
import { verifyWalk, walkPages, type WalkMode } from '../walk.ts';

const options = currentTarget().options;

const modes: WalkMode[] = [];
for (const limit of [2, 5]) {
  for (const order of ['asc', 'desc'] as const) {
    for (const direction of ['after', 'before'] as const) modes.push({ sort: 'createdDate', order, limit, direction });
  }
}
modes.push({ sort: 'mimeType', order: 'desc', limit: 2, direction: 'after' });

scenario("Paging (read-only): every walk of the case's attachments lists the same records once, in order", async (s) => {
  const filters = { objectId: caseId(s) };
  const reference = await walkPages(s, { sort: 'createdDate', order: 'asc', limit: 25, direction: 'after' }, filters);
  verifyWalk(s, { sort: 'createdDate', order: 'asc', limit: 25, direction: 'after' }, reference, []);
  const ids = reference.records.map((r) => String(r.id));
  for (const mode of modes) verifyWalk(s, mode, await walkPages(s, mode, filters), ids);
});

scenario("Projection (read-only): fields keeps only the named fields plus id on the case's attachments", async (s) => {
  const page = await listPage(s, { objectId: caseId(s), limit: 100, fields: 'name,sizeBytes' }, 'fields=name,sizeBytes');
  const extra = page.records.flatMap((r) => Object.keys(r).filter((k) => !['id', 'name', 'sizeBytes'].includes(k)));
  s.verify(expected.fields_projection, extra.length === 0, `fields=name,sizeBytes: records also carry ${[...new Set(extra)].join(', ')}`);
});

scenario('Unknown ids (read-only): getAttachment and downloadAttachment answer 404 in Case IQ shape', async (s) => {
  for (const operationId of ['getAttachment', 'downloadAttachment']) {
    await expectCaseIqError(s, operationId, { path: { id: unknownId() }, status: 404, because: expected.unknown_attachment_404, step: `${operationId} of an unknown id` });
  }
});

const attachmentId = typeof options['attachment-id'] === 'string' ? options['attachment-id'] : undefined;
scenario(`Attachment ${attachmentId ?? '(--attachment-id)'} (read-only): metadata, listing and a download that agree`, { needs: { met: Boolean(attachmentId), enable: '--attachment-id' } }, async (s) => {
  if (!attachmentId) return;
  const got = await s.call('getAttachment', { path: { id: attachmentId }, expect: { status: 200 }, step: 'read the attachment' });
  if (got.status !== 200) return;
  const record = got.json<Record<string, unknown>>();
  const download = await s.call('downloadAttachment', { path: { id: attachmentId }, expect: { status: 200 }, step: 'download it' });
  if (download.status === 200) {
    s.verify(expected.download_matches_size, download.body.length === record.sizeBytes, `downloaded ${download.body.length} bytes, the record says sizeBytes ${JSON.stringify(record.sizeBytes)}`);
    const type = (download.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    s.verify(expected.download_typed, type === String(record.mimeType).toLowerCase(), `Content-Type ${type || '(none)'}, the record says ${JSON.stringify(record.mimeType)}`);
    const disposition = download.headers['content-disposition'] ?? '';
    s.verify(expected.download_names_file, disposition.includes(String(record.name)), `Content-Disposition '${disposition}' does not carry the name ${JSON.stringify(record.name)}`);
  }
  const listed = await listPage(s, { objectId: String(record.objectId), name: String(record.name), limit: 100 }, 'list by its objectId and name', expected.filter_other_fields);
  s.verify(expected.filter_other_fields, listed.records.some((r) => r.id === attachmentId), 'filtering on its own objectId and name does not list it');
  const other = listed.records.find((r) => r.objectId !== record.objectId || r.name !== record.name);
  s.verify(expected.filter_other_fields, other === undefined, `filtering on objectId and name lists a record that does not match: ${JSON.stringify(other)}`);
});
