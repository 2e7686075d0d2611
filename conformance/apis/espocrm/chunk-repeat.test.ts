// A chunk sent twice (a client's retry after a lost answer). EspoCRM's protocol has no offsets:
// EspoCRM appends it again (Tools/Attachment/UploadService.php, 200 `true`); the attachkit
// reference server refuses it with 409 (openapi/espocrm.yaml, "A chunk sent twice"). Both are
// documented, so this scenario holds either answer to the contract and asserts nothing more.
import { scenario } from '../../kit/scenario.ts';
import { dataUrl, deleteLater, testBytes } from './steps.ts';

scenario('Chunked upload: the same chunk sent twice is answered as documented (EspoCRM appends it, the reference server refuses it with 409)', async (s) => {
  const bytes = testBytes(9000, 7);
  const started = await s.call('createAttachment', {
    json: { name: `${s.name('chunk-twice')}.txt`, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', isBeingUploaded: true, size: bytes.length },
    expect: { success: true },
    step: 'start a chunked upload',
  });
  const attachment = started.json<{ id: string }>();
  deleteLater(s, 'deleteAttachment', attachment.id);
  const first = dataUrl('text/plain', bytes.subarray(0, 3000));
  await s.call('uploadAttachmentChunk', { path: { id: attachment.id }, json: first, expect: { success: true }, step: 'chunk 1 of 3' });
  await s.call('uploadAttachmentChunk', { path: { id: attachment.id }, json: first, step: 'chunk 1 again, as after a lost answer' });
});
