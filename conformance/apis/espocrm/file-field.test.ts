// Document.fileId: upload → link → read → download, and replacing the file.
import { scenario } from '../../kit/scenario.ts';
import { deleteLater, testBytes, today, uploadAttachment } from './steps.ts';
import { espocrmExpectations as expected } from './expectations.ts';

interface DocumentBody {
  id: string;
  fileId?: string | null;
  fileName?: string | null;
}

scenario('File field: upload → create Document → read fileId/fileName → download identical bytes', async (s) => {
  // The declared size is wrong on purpose: EspoCRM replaces it with the real byte length.
  const file = await uploadAttachment(s, 'file-field', testBytes(3000, 1), { for: 'Document.file' }, { size: 1 });
  const attachment = (await s.call('getAttachment', { path: { id: file.id }, expect: { success: true }, step: 'read the attachment' })).json<Record<string, unknown>>();
  const size = attachment.size;
  s.verify(expected.real_size_recorded, size === file.bytes.length, `attachment size is ${size}, not the ${file.bytes.length} bytes uploaded (declared size kept?)`);

  const created = await s.call('createDocument', {
    json: { name: s.name('document'), fileId: file.id, publishDate: today() },
    expect: { success: true },
    step: 'create a Document with the file',
  });
  const document = created.json<DocumentBody>();
  deleteLater(s, 'deleteDocument', document.id);

  const read = (await s.call('getDocument', { path: { id: document.id }, expect: { success: true }, step: 'read the Document' })).json<DocumentBody>();
  s.verify(expected.document_links_file, read.fileId === file.id, `Document.fileId is ${read.fileId}, expected ${file.id}`);
  s.verify(expected.document_names_file, read.fileName === file.name, `Document.fileName is ${read.fileName}, expected ${file.name}`);

  // download_matches_record holds its Content-Type, Content-Disposition and Content-Length to the record.
  await s.call('downloadAttachmentFile', { path: { id: file.id }, expect: { success: true, sha256: file.sha256, record: attachment }, step: 'download the file' });
});

scenario('File field: replacing Document.fileId deletes the previous attachment', async (s) => {
  const first = await uploadAttachment(s, 'replace-old', testBytes(500, 2), { for: 'Document.file' });
  const second = await uploadAttachment(s, 'replace-new', testBytes(700, 3), { for: 'Document.file' });
  const created = await s.call('createDocument', {
    json: { name: s.name('replace-document'), fileId: first.id, publishDate: today() },
    expect: { success: true },
    step: 'create a Document with the first file',
  });
  const id = created.json<DocumentBody>().id;
  deleteLater(s, 'deleteDocument', id);

  const updated = await s.call('updateDocument', { path: { id }, json: { fileId: second.id }, expect: { success: true }, step: 'point the Document at the second file' });
  s.verify(expected.document_links_file, updated.json<DocumentBody>().fileId === second.id, 'PUT Document did not switch fileId to the new attachment');
  await s.call('getAttachment', { path: { id: first.id }, expect: { status: 404, because: expected.replaced_file_deleted }, step: 'the replaced attachment is gone' });
  await s.call('downloadAttachmentFile', { path: { id: second.id }, expect: { success: true, sha256: second.sha256 }, step: 'download the new file' });
});
