// Note.attachmentsIds: an Attachment-Multiple field, where PUT replaces the whole list.
import { scenario } from '../../kit/scenario.ts';
import { deleteLater, testBytes, uploadAttachment } from './steps.ts';
import { espocrmExpectations as expected } from './expectations.ts';

interface NoteBody {
  id: string;
  attachmentsIds?: string[];
  attachmentsNames?: Record<string, string>;
  attachmentsTypes?: Record<string, string>;
}

scenario('Attachment-Multiple: two attachments on a Note → PUT with one → the other is unlinked', async (s) => {
  const kept = await uploadAttachment(s, 'note-kept', testBytes(400, 4), { for: 'Note.attachments' });
  const dropped = await uploadAttachment(s, 'note-dropped', testBytes(600, 5), { for: 'Note.attachments' });

  const created = await s.call('createNote', {
    json: { post: s.name('note'), type: 'Post', attachmentsIds: [kept.id, dropped.id] },
    expect: { success: true },
    step: 'create a Note with two attachments',
  });
  const note = created.json<NoteBody>();
  deleteLater(s, 'deleteNote', note.id);

  const read = (await s.call('getNote', { path: { id: note.id }, expect: { success: true }, step: 'read the Note' })).json<NoteBody>();
  const ids = [...(read.attachmentsIds ?? [])].sort();
  s.verify(expected.note_links_attachments, ids.join() === [kept.id, dropped.id].sort().join(), `attachmentsIds is [${ids}], expected both uploads`);
  s.verify(expected.note_names_attachments, read.attachmentsNames?.[kept.id] === kept.name, `attachmentsNames[${kept.id}] is ${read.attachmentsNames?.[kept.id]}, expected ${kept.name}`);
  s.verify(expected.note_types_attachments, read.attachmentsTypes?.[kept.id] === 'text/plain', `attachmentsTypes[${kept.id}] is ${read.attachmentsTypes?.[kept.id]}, expected text/plain`);

  await s.call('updateNote', { path: { id: note.id }, json: { attachmentsIds: [kept.id] }, expect: { success: true }, step: 'PUT the Note with only one attachment' });
  const after = (await s.call('getNote', { path: { id: note.id }, expect: { success: true }, step: 'read the Note again' })).json<NoteBody>();
  s.verify(
    expected.note_put_replaces_list,
    JSON.stringify(after.attachmentsIds) === JSON.stringify([kept.id]),
    `after PUT attachmentsIds is [${after.attachmentsIds}], expected only [${kept.id}]: the omitted attachment is still linked`,
  );
  const orphan = (await s.call('getAttachment', { path: { id: dropped.id }, expect: { success: true }, step: 'the dropped attachment still exists, unlinked' })).json<{
    parentId?: string | null;
  }>();
  s.verify(expected.note_put_unlinks_omitted, orphan.parentId !== note.id, `the dropped attachment still has parentId ${orphan.parentId}`);
  const record = (await s.call('getAttachment', { path: { id: kept.id }, expect: { success: true }, step: 'read the kept attachment' })).json<Record<string, unknown>>();
  await s.call('downloadAttachmentFile', { path: { id: kept.id }, expect: { success: true, sha256: kept.sha256, record }, step: 'download the kept attachment' });
});
