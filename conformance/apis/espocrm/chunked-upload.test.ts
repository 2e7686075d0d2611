// Chunked upload (Tools/Attachment/UploadService.php): start with isBeingUploaded + size, then
// POST Attachment/chunk/{id} until the received bytes reach the declared size.
import { scenario } from '../../kit/scenario.ts';
import { dataUrl, deleteLater, testBytes } from './steps.ts';
import { sha256 } from '../../kit/hash.ts';
import { espocrmExpectations as expected } from './expectations.ts';

scenario('Chunked upload: three chunks → upload completes → download identical bytes', async (s) => {
  const bytes = testBytes(10_000, 6);
  const chunks = [bytes.subarray(0, 4000), bytes.subarray(4000, 8000), bytes.subarray(8000)];
  const name = `${s.name('chunked')}.txt`;
  const started = await s.call('createAttachment', {
    json: { name, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', isBeingUploaded: true, size: bytes.length },
    expect: { success: true },
    step: 'start a chunked upload',
  });
  const attachment = started.json<{ id: string; isBeingUploaded?: boolean }>();
  deleteLater(s, 'deleteAttachment', attachment.id);
  s.verify(expected.chunked_upload_pending, attachment.isBeingUploaded === true, 'a started chunked upload does not report isBeingUploaded: true');

  for (const [i, chunk] of chunks.entries()) {
    // Both documented forms: the web client's JSON string, and the raw data URL as text/plain.
    const body = dataUrl('text/plain', chunk);
    const form = i < 2 ? { json: body } : { text: body };
    const sent = await s.call('uploadAttachmentChunk', { path: { id: attachment.id }, ...form, expect: { success: true }, step: `chunk ${i + 1} of 3 (${chunk.length} bytes)` });
    s.verify(expected.chunk_acknowledged, sent.body.toString('utf8').trim() === 'true', `chunk ${i + 1} answered ${sent.body.toString('utf8').slice(0, 60)}, expected true`);
  }

  const done = (await s.call('getAttachment', { path: { id: attachment.id }, expect: { success: true }, step: 'read the attachment' })).json<{
    isBeingUploaded?: boolean;
    size?: number;
  } & Record<string, unknown>>();
  s.verify(expected.chunked_upload_completes, done.isBeingUploaded === false, 'the upload is still marked isBeingUploaded after the last chunk');
  s.verify(expected.real_size_recorded, done.size === bytes.length, `size is ${done.size}, expected ${bytes.length}`);
  await s.call('downloadAttachmentFile', { path: { id: attachment.id }, expect: { success: true, sha256: sha256(bytes), record: done }, step: 'download the assembled file' });
});
