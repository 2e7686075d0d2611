// The routes EspoCRM's own clients use besides the attachment flow: PATCH as an update, the list
// routes, and what deleting a record leaves behind.
import { currentTarget } from '../../kit/current-target.ts';
import { scenario } from '../../kit/scenario.ts';
import { needsSchemes, schemeHeaders } from './auth.ts';
import { espocrmExpectations as expected } from './expectations.ts';
import { deleteLater, expectRefusal, missingId, testBytes, today, uploadAttachment } from './steps.ts';

const target = currentTarget();

interface ListBody {
  total: number;
  list: Array<{ id: string; name?: string; post?: string }>;
}

scenario('PATCH updates like PUT (Resources/routes.json)', async (s) => {
  const file = await uploadAttachment(s, 'patch-file', testBytes(100, 11), { for: 'Document.file' });
  const id = (await s.call('createDocument', { json: { name: s.name('patch-before'), fileId: file.id, publishDate: today() }, expect: { success: true }, step: 'create a Document' })).json<{
    id: string;
  }>().id;
  deleteLater(s, 'deleteDocument', id);
  const renamed = s.name('patch-after');
  const patched = await s.call('patchDocument', { path: { id }, json: { name: renamed }, expect: { success: true }, step: 'PATCH the name' });
  s.verify(expected.patch_updates, patched.json<{ name?: string }>().name === renamed, `PATCH Document answered name ${patched.json<{ name?: string }>().name}, expected ${renamed}`);

  const kept = await uploadAttachment(s, 'patch-note-kept', testBytes(50, 12), { for: 'Note.attachments' });
  const dropped = await uploadAttachment(s, 'patch-note-dropped', testBytes(60, 13), { for: 'Note.attachments' });
  const note = (await s.call('createNote', { json: { post: s.name('patch-note'), type: 'Post', attachmentsIds: [kept.id, dropped.id] }, expect: { success: true }, step: 'create a Note with two attachments' })).json<{
    id: string;
  }>().id;
  deleteLater(s, 'deleteNote', note);
  const after = await s.call('patchNote', { path: { id: note }, json: { attachmentsIds: [kept.id] }, expect: { success: true }, step: 'PATCH the Note with one attachment' });
  const ids = after.json<{ attachmentsIds?: string[] }>().attachmentsIds ?? [];
  s.verify(expected.patch_updates, JSON.stringify(ids) === JSON.stringify([kept.id]), `after PATCH attachmentsIds is [${ids}], expected [${kept.id}]`);

  // The same refusals as PUT.
  await expectRefusal(s, 'patchDocument', { path: { id: missingId }, json: { name: renamed }, status: 404, because: expected.unknown_record_404, step: 'PATCH an unknown Document' });
  await expectRefusal(s, 'patchNote', { path: { id: missingId }, json: { post: 'x' }, status: 404, because: expected.unknown_record_404, step: 'PATCH an unknown Note' });
  await expectRefusal(s, 'patchDocument', { path: { id }, json: { fileId: missingId }, status: 403, because: expected.link_to_missing_refused, step: 'PATCH a Document to an attachment that does not exist' });
  await expectRefusal(s, 'patchNote', { path: { id: note }, json: { attachmentsIds: [missingId] }, status: 403, because: expected.link_to_missing_refused, step: 'PATCH a Note to an attachment that does not exist' });
  for (const operationId of ['updateNote', 'patchNote']) {
    await expectRefusal(s, operationId, { path: { id: note }, json: { attachmentsIds: ['not an id!'] }, status: 400, because: expected.field_validation_refused, step: `${operationId} with an id that breaks the id pattern` });
  }
  const version = (await s.call('getNote', { path: { id: note }, expect: { success: true }, step: 'read the Note' })).json<{ versionNumber?: number }>().versionNumber;
  // Guard: concurrency control is an entity-level setting; without versionNumber it is off.
  if (typeof version === 'number') {
    await s.call('patchNote', { path: { id: note }, headers: { 'X-Version-Number': String(version) }, json: { post: 'first' }, expect: { success: true }, step: 'PATCH with the current version' });
    await expectRefusal(s, 'patchNote', { path: { id: note }, headers: { 'X-Version-Number': String(version) }, json: { post: 'second' }, status: 409, because: expected.stale_version_refused, step: 'PATCH with a stale version' });
    const docVersion = (await s.call('getDocument', { path: { id }, expect: { success: true }, step: 'read the Document' })).json<{ versionNumber?: number }>().versionNumber;
    await expectRefusal(s, 'patchDocument', { path: { id }, headers: { 'X-Version-Number': String((docVersion ?? 1) - 1) }, json: { name: 'stale' }, status: 409, because: expected.stale_version_refused, step: 'PATCH the Document with a stale version' });
  }
});

scenario('List routes answer {total, list}, paged, ordered and filtered (SearchParamsFetcher.php)', async (s) => {
  const prefix = s.name('list');
  for (const suffix of ['c', 'a', 'b']) {
    const file = await uploadAttachment(s, `list-file-${suffix}`, testBytes(40, 14), { for: 'Document.file' });
    const id = (await s.call('createDocument', { json: { name: `${prefix}-${suffix}`, fileId: file.id, publishDate: today() }, expect: { success: true }, step: `create Document ${suffix}` })).json<{
      id: string;
    }>().id;
    deleteLater(s, 'deleteDocument', id);
  }
  const mine = { 'where[0][type]': 'startsWith', 'where[0][attribute]': 'name', 'where[0][value]': prefix };
  const first = (await s.call('listDocuments', { query: { ...mine, maxSize: 2, offset: 0, orderBy: 'name', order: 'asc' }, expect: { success: true }, step: 'first page by name' })).json<ListBody>();
  s.verify(expected.list_total, first.total === 3, `total is ${first.total}, expected the 3 Documents of this run`);
  s.verify(expected.list_pages, first.list.map((d) => d.name).join() === [`${prefix}-a`, `${prefix}-b`].join(), `first page is [${first.list.map((d) => d.name)}], expected ${prefix}-a, -b`);
  const second = (await s.call('listDocuments', { query: { ...mine, maxSize: 2, offset: 2, orderBy: 'name', order: 'asc', select: 'name' }, expect: { success: true }, step: 'second page, name only' })).json<ListBody>();
  s.verify(expected.list_pages, second.list.map((d) => d.name).join() === `${prefix}-c`, `second page is [${second.list.map((d) => d.name)}], expected ${prefix}-c`);
  s.verify(expected.list_select, second.list.every((d) => Object.keys(d).sort().join() === 'id,name'), `select=name gave items with ${Object.keys(second.list[0] ?? {})}`);
  const json = JSON.stringify({ where: [{ type: 'equals', attribute: 'name', value: `${prefix}-b` }] });
  const one = (await s.call('listDocuments', { query: { searchParams: json }, expect: { success: true }, step: 'searchParams JSON (what the JS client sends)' })).json<ListBody>();
  s.verify(expected.list_total, one.total === 1 && one.list[0]?.name === `${prefix}-b`, `searchParams where equals gave ${one.total} records`);
  await expectRefusal(s, 'listDocuments', { query: { maxSize: 201 }, status: 403, because: expected.list_params_refused, step: 'maxSize over 200' });
  await expectRefusal(s, 'listDocuments', { query: { order: 'sideways' }, status: 400, because: expected.list_params_refused, step: 'an order that is neither asc nor desc' });
  await expectRefusal(s, 'listNotes', { query: { maxSize: 201 }, status: 403, because: expected.list_params_refused, step: 'a Note page over 200' });

  const note = (await s.call('createNote', { json: { post: `${prefix}-note`, type: 'Post' }, expect: { success: true }, step: 'create a Note' })).json<{ id: string }>().id;
  deleteLater(s, 'deleteNote', note);
  const notes = (await s.call('listNotes', { query: { 'where[0][type]': 'equals', 'where[0][attribute]': 'post', 'where[0][value]': `${prefix}-note` }, expect: { success: true }, step: 'list Notes' })).json<ListBody>();
  s.verify(expected.list_total, notes.total === 1 && notes.list[0]?.id === note, `the Note list has ${notes.total} matching records, expected the one created`);
});

scenario('GET Attachment is for administrators only (Controllers/Attachment.php)', { needs: needsSchemes(target, 'api-key', 'basic') }, async (s) => {
  const file = await uploadAttachment(s, 'listed', testBytes(30, 15), { for: 'Note.attachments' });
  await expectRefusal(s, 'listAttachments', { query: { maxSize: 1 }, status: 403, because: expected.attachment_list_admin_only, step: 'list attachments as the (non-admin) API user' });
  const admin = { auth: 'none' as const, headers: schemeHeaders(target, 'basic', 'valid', { method: 'GET', path: '' }) };
  const listed = (
    await s.call('listAttachments', { ...admin, query: { 'where[0][type]': 'equals', 'where[0][attribute]': 'id', 'where[0][value]': file.id }, expect: { success: true }, step: 'list attachments as the admin' })
  ).json<ListBody>();
  s.verify(expected.list_total, listed.total === 1 && listed.list[0]?.id === file.id, `the admin's attachment list has ${listed.total} records with id ${file.id}, expected 1`);
});

scenario('Deleting a Document keeps its attachment (Record/Service::delete; Jobs/Cleanup.php removes it later)', async (s) => {
  const file = await uploadAttachment(s, 'kept-after-delete', testBytes(80, 16), { for: 'Document.file' });
  const id = (await s.call('createDocument', { json: { name: s.name('deleted-document'), fileId: file.id, publishDate: today() }, expect: { success: true }, step: 'create a Document' })).json<{
    id: string;
  }>().id;
  await s.call('deleteDocument', { path: { id }, expect: { success: true }, step: 'delete the Document' });
  const kept = await s.call('getAttachment', { path: { id: file.id }, step: 'read its attachment' });
  s.verify(expected.delete_keeps_attachments, kept.status === 200, `the attachment of a deleted Document answers ${kept.status}; EspoCRM keeps it until its weekly Cleanup job`);
});
