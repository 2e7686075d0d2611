// Each documented error case, in EspoCRM's dialect: the status, X-Status-Reason, and the
// messageTranslation label where EspoCRM sends one.
import type { Expectation } from '../../kit/expectations.ts';
import { scenario } from '../../kit/scenario.ts';
import { dataUrl, deleteLater, errorLabel, expectRefusal, missingId, testBytes, today, uploadAttachment } from './steps.ts';
import { espocrmExpectations as expected } from './expectations.ts';

const file = dataUrl('text/plain', Buffer.from('attachkit'));

scenario('POST Attachment refuses bad uploads (CreateInputFilter, AccessChecker, size and type checks)', async (s) => {
  const base = { name: `${s.name('refused')}.txt`, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file' };
  const cases: Array<[string, Record<string, unknown>, number, Expectation]> = [
    ['no file contents', { ...base }, 400, expected.upload_input_refused],
    ['file without a comma', { ...base, file: 'data:text/plain;base64' }, 400, expected.upload_input_refused],
    ['no field', { ...base, field: undefined, file }, 400, expected.upload_input_refused],
    ['no parentType or relatedType', { ...base, relatedType: undefined, file }, 400, expected.upload_input_refused],
    ['no name', { ...base, name: undefined, file }, 400, expected.field_validation_refused],
    ['an internal-only role', { ...base, role: 'Import File', file }, 403, expected.upload_access_refused],
    ['a field that does not exist', { ...base, field: 'attachkitNoSuchField', file }, 403, expected.upload_access_refused],
    ['a field whose type cannot hold files', { ...base, field: 'name', file }, 403, expected.upload_access_refused],
    ['a file type Document.file does not accept', { ...base, name: `${s.name('refused')}.exe`, type: 'application/x-msdownload', file }, 403, expected.upload_type_refused],
    ['a declared size over attachmentUploadMaxSize', { ...base, size: 8 * 1024 ** 3, file }, 403, expected.upload_size_refused],
  ];
  for (const [step, json, status, because] of cases) {
    const result = await expectRefusal(s, 'createAttachment', { json, status, because, step });
    s.verify(expected.error_reason_sent, Boolean(result.headers['x-status-reason']), `${step}: no X-Status-Reason header`);
  }
});

scenario('POST Attachment/chunk refuses unknown ids, finished uploads, bad data and overflow', async (s) => {
  await expectRefusal(s, 'uploadAttachmentChunk', { path: { id: missingId }, json: file, status: 404, because: expected.chunk_refused, step: 'chunk for an unknown attachment' });
  const whole = await uploadAttachment(s, 'not-chunked', testBytes(100, 7), { for: 'Document.file' });
  await expectRefusal(s, 'uploadAttachmentChunk', { path: { id: whole.id }, json: file, status: 403, because: expected.chunk_refused, step: 'chunk for an upload that is not being uploaded' });

  const started = await s.call('createAttachment', {
    json: { name: `${s.name('overflow')}.txt`, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', isBeingUploaded: true, size: 4 },
    expect: { success: true },
    step: 'start a 4-byte chunked upload',
  });
  const id = started.json<{ id: string }>().id;
  s.cleanup(`deleteAttachment ${id}`, () => s.call('deleteAttachment', { path: { id }, step: 'clean up' }));
  await expectRefusal(s, 'uploadAttachmentChunk', { path: { id }, text: 'not a data url', status: 400, because: expected.chunk_refused, step: "chunk without ';base64,'" });
  // EspoCRM itself answers 500 here (documented); the contract only forbids accepting the bytes.
  const overflow = await s.call('uploadAttachmentChunk', { path: { id }, json: dataUrl('text/plain', Buffer.from('too many bytes')), step: 'chunk past the declared size' });
  s.verify(expected.chunk_overflow_refused, overflow.status >= 400, `a chunk past the declared size was accepted (${overflow.status})`);
});

scenario('Links to missing attachments are refused (LinkCheck, field validation)', async (s) => {
  const nonExisting = await expectRefusal(s, 'createDocument', {
    json: { name: s.name('bad-link'), fileId: missingId, publishDate: today() },
    status: 403,
    because: expected.link_to_missing_refused,
    step: 'Document with a non-existing fileId',
  });
  s.verify(expected.link_error_label, errorLabel(nonExisting.body) === 'cannotRelateNonExisting', `label is ${errorLabel(nonExisting.body)}, expected cannotRelateNonExisting`);
  await expectRefusal(s, 'createDocument', { json: { name: s.name('no-file'), publishDate: today() }, status: 400, because: expected.field_validation_refused, step: 'Document without fileId (required)' });
  const noteLink = await expectRefusal(s, 'createNote', {
    json: { post: s.name('bad-link'), type: 'Post', attachmentsIds: [missingId] },
    status: 403,
    because: expected.link_to_missing_refused,
    step: 'Note with a non-existing attachment id',
  });
  s.verify(expected.link_error_label, errorLabel(noteLink.body) === 'cannotRelateNonExisting', `label is ${errorLabel(noteLink.body)}, expected cannotRelateNonExisting`);
  await expectRefusal(s, 'createNote', {
    json: { post: s.name('bad-id'), type: 'Post', attachmentsIds: ['not an id!'] },
    status: 400,
    because: expected.field_validation_refused,
    step: 'Note with a malformed attachment id',
  });
  const note = (await s.call('createNote', { json: { post: s.name('bad-update'), type: 'Post' }, expect: { success: true }, step: 'create a Note to update' })).json<{ id: string }>();
  deleteLater(s, 'deleteNote', note.id);
  await expectRefusal(s, 'updateNote', {
    path: { id: note.id },
    json: { attachmentsIds: ['not an id!'] },
    status: 400,
    because: expected.field_validation_refused,
    step: 'PUT the Note with a malformed attachment id',
  });
});

scenario('Unknown records answer 404', async (s) => {
  for (const operationId of ['getAttachment', 'downloadAttachmentFile', 'getDocument', 'getNote', 'deleteDocument', 'deleteNote', 'deleteAttachment']) {
    await expectRefusal(s, operationId, { path: { id: missingId }, status: 404, because: expected.unknown_record_404, step: `${operationId} of an unknown id` });
  }
  const missing = { path: { id: missingId }, status: 404, because: expected.unknown_record_404 };
  await expectRefusal(s, 'updateDocument', { ...missing, json: { name: s.name('missing') }, step: 'updateDocument of an unknown id' });
  await expectRefusal(s, 'updateNote', { ...missing, json: { post: s.name('missing') }, step: 'updateNote of an unknown id' });
});

scenario('Optimistic concurrency: a PUT with a stale X-Version-Number gets 409 modified', async (s) => {
  const file = await uploadAttachment(s, 'versioned', testBytes(50, 10), { for: 'Document.file' });
  const created = await s.call('createDocument', { json: { name: s.name('versioned'), fileId: file.id, publishDate: today() }, expect: { success: true }, step: 'create a Document' });
  const document = created.json<{ id: string; versionNumber?: number }>();
  s.cleanup(`deleteDocument ${document.id}`, () => s.call('deleteDocument', { path: { id: document.id }, step: 'clean up' }));
  // Guard: concurrency control is an entity-level setting; without versionNumber it is off.
  if (typeof document.versionNumber !== 'number') return;
  const version = String(document.versionNumber);
  await s.call('updateDocument', { path: { id: document.id }, headers: { 'X-Version-Number': version }, json: { description: 'first' }, expect: { success: true }, step: 'PUT with the current version' });
  const stale = await expectRefusal(s, 'updateDocument', {
    path: { id: document.id },
    headers: { 'X-Version-Number': version },
    json: { description: 'second' },
    status: 409,
    because: expected.stale_version_refused,
    step: 'PUT with the version read before the first PUT',
  });
  s.verify(expected.conflict_reason, stale.headers['x-status-reason'] === 'modified', `X-Status-Reason is '${stale.headers['x-status-reason']}', expected 'modified'`);

  const note = (await s.call('createNote', { json: { post: s.name('versioned'), type: 'Post' }, expect: { success: true }, step: 'create a Note' })).json<{ id: string; versionNumber?: number }>();
  s.cleanup(`deleteNote ${note.id}`, () => s.call('deleteNote', { path: { id: note.id }, step: 'clean up' }));
  if (typeof note.versionNumber !== 'number') return;
  const noteVersion = String(note.versionNumber);
  await s.call('updateNote', { path: { id: note.id }, headers: { 'X-Version-Number': noteVersion }, json: { post: 'first' }, expect: { success: true }, step: 'PUT the Note with the current version' });
  await expectRefusal(s, 'updateNote', {
    path: { id: note.id },
    headers: { 'X-Version-Number': noteVersion },
    json: { post: 'second' },
    status: 409,
    because: expected.stale_version_refused,
    step: 'PUT the Note with a stale version',
  });
});
