// Scenarios that need a second identity or the HMAC secret. They are registered only when the
// run knows those credentials (the reference server's development credentials include both).
import { currentTarget } from '../../kit/target.ts';
import { scenario } from '../../kit/scenario.ts';
import { sha256 } from '../../kit/session.ts';
import { hasScheme, schemeHeaders } from './auth.ts';
import { dataUrl, errorLabel, expectRefusal, testBytes, today } from './steps.ts';

const target = currentTarget();

if (hasScheme(target, 'hmac')) {
  scenario('HMAC authentication (X-Hmac-Authorization) is accepted, and refused with the wrong secret', async (s) => {
    const bytes = testBytes(256, 8);
    const created = await s.call('createAttachment', {
      json: { name: `${s.name('hmac')}.txt`, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: dataUrl('text/plain', bytes) },
      expect: { success: true },
      step: 'upload with X-Api-Key',
    });
    const id = created.json<{ id: string }>().id;
    s.cleanup(`deleteAttachment ${id}`, () => s.call('deleteAttachment', { path: { id }, step: 'clean up' }));
    const path = `/api/v1/Attachment/file/${id}`;
    await s.call('downloadAttachmentFile', {
      path: { id },
      auth: 'none',
      headers: schemeHeaders(target, 'hmac', 'valid', { method: 'GET', path }),
      expect: { success: true, sha256: sha256(bytes) },
      step: 'download with X-Hmac-Authorization',
    });
    await s.call('downloadAttachmentFile', {
      path: { id },
      auth: 'none',
      headers: schemeHeaders(target, 'hmac', 'wrong', { method: 'GET', path }),
      expect: { unauthorized: true },
      step: 'download with an HMAC made with the wrong secret',
    });
  });
}

if (hasScheme(target, 'api-key') && hasScheme(target, 'basic')) {
  scenario("Another user's unlinked attachment cannot be linked or read by the (non-admin) API user", async (s) => {
    const admin = (mode: 'valid') => schemeHeaders(target, 'basic', mode, { method: 'POST', path: '' });
    const created = await s.call('createAttachment', {
      auth: 'none',
      headers: admin('valid'),
      json: { name: `${s.name('foreign')}.txt`, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: dataUrl('text/plain', testBytes(64, 9)) },
      expect: { success: true },
      step: 'upload as the Basic user',
    });
    const id = created.json<{ id: string }>().id;
    s.cleanup(`deleteAttachment ${id}`, () => s.call('deleteAttachment', { path: { id }, auth: 'none', headers: admin('valid'), step: 'clean up as the Basic user' }));
    const refused = await expectRefusal(s, 'createDocument', {
      json: { name: s.name('foreign-link'), fileId: id, publishDate: today() },
      status: 403,
      step: "API user links the other user's attachment",
    });
    s.verify('error_label', errorLabel(refused.body) === 'cannotRelateForbidden', `label is ${errorLabel(refused.body)}, expected cannotRelateForbidden`);
    await expectRefusal(s, 'downloadAttachmentFile', { path: { id }, status: 403, step: "API user downloads the other user's attachment" });
  });
}
