// --read-only: GETs on the records the user names; nothing is written.
import { currentTarget } from '../../../kit/current-target.ts';
import { scenario } from '../../../kit/scenario.ts';
import { espocrmExpectations as expected } from '../expectations.ts';

const options = currentTarget().options;
const id = (name: string) => (typeof options[name] === 'string' ? (options[name] as string) : undefined);

interface AttachmentBody {
  id: string;
  name?: string;
  size?: number | null;
  isBeingUploaded?: boolean;
}

const attachmentId = id('attachment-id');
scenario(`Attachment ${attachmentId ?? '(--attachment-id)'}: metadata, and a download of exactly its size`, { needs: { met: Boolean(attachmentId), enable: '--attachment-id' } }, async (s) => {
  if (!attachmentId) return;
  const attachment = (await s.call('getAttachment', { path: { id: attachmentId }, expect: { success: true }, step: 'read the attachment' })).json<AttachmentBody>();
  // While a chunked upload is in progress the record's size is the declared total, not the bytes stored.
  const record = attachment.isBeingUploaded === true ? undefined : (attachment as unknown as Record<string, unknown>);
  await s.call('downloadAttachmentFile', { path: { id: attachmentId }, expect: { success: true, record }, step: 'download its file' });
});

const documentId = id('document-id');
scenario(`Document ${documentId ?? '(--document-id)'}: fileId and fileName name a downloadable attachment`, { needs: { met: Boolean(documentId), enable: '--document-id' } }, async (s) => {
  if (!documentId) return;
  const document = (await s.call('getDocument', { path: { id: documentId }, expect: { success: true }, step: 'read the Document' })).json<{ fileId?: string | null; fileName?: string | null }>();
  if (!document.fileId) return;
  const file = (await s.call('getAttachment', { path: { id: document.fileId }, expect: { success: true }, step: 'read its file attachment' })).json<AttachmentBody>();
  s.verify(expected.document_names_file, document.fileName === file.name, `Document.fileName is ${document.fileName}, the attachment is named ${file.name}`);
  const record = file.isBeingUploaded === true ? undefined : (file as unknown as Record<string, unknown>);
  await s.call('downloadAttachmentFile', { path: { id: document.fileId }, expect: { success: true, record }, step: 'download it' });
});

const noteId = id('note-id');
scenario(`Note ${noteId ?? '(--note-id)'}: every attachment in attachmentsIds is named, typed and downloadable`, { needs: { met: Boolean(noteId), enable: '--note-id' } }, async (s) => {
  if (!noteId) return;
  const note = (await s.call('getNote', { path: { id: noteId }, expect: { success: true }, step: 'read the Note' })).json<{
    attachmentsIds?: string[];
    attachmentsNames?: Record<string, string>;
    attachmentsTypes?: Record<string, string>;
  }>();
  for (const attachment of note.attachmentsIds ?? []) {
    s.verify(expected.note_names_attachments, attachment in (note.attachmentsNames ?? {}), `attachmentsNames has no entry for ${attachment}`);
    s.verify(expected.note_types_attachments, attachment in (note.attachmentsTypes ?? {}), `attachmentsTypes has no entry for ${attachment}`);
    await s.call('downloadAttachmentFile', { path: { id: attachment }, expect: { success: true }, step: `download attachment ${attachment}` });
  }
});
