// Scenarios that need a second identity or the HMAC secret. Without those credentials they are
// reported as not run, with the options that would enable them (the reference server's
// development credentials include both).
import { currentTarget } from '../../kit/current-target.ts';
import { scenario } from '../../kit/scenario.ts';
import { sha256 } from '../../kit/hash.ts';
import { needsSchemes, schemeHeaders } from './auth.ts';
import { dataUrl, errorLabel, expectRefusal, testBytes, today } from './steps.ts';
import { espocrmExpectations as expected } from './expectations.ts';

const target = currentTarget();

// An API user has one auth method (UserFinder::findApiHmac): the HMAC user works through HMAC only.
scenario('HMAC authentication (X-Hmac-Authorization) is accepted, and refused with the wrong secret', { needs: needsSchemes(target, 'hmac') }, async (s) => {
  const hmac = (method: string, path: string, mode: 'valid' | 'wrong' = 'valid') => ({ auth: 'none' as const, headers: schemeHeaders(target, 'hmac', mode, { method, path }) });
  const bytes = testBytes(256, 8);
  const created = await s.call('createAttachment', {
    ...hmac('POST', '/api/v1/Attachment'),
    json: { name: `${s.name('hmac')}.txt`, type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: dataUrl('text/plain', bytes) },
    expect: { success: true },
    step: 'upload with X-Hmac-Authorization',
  });
  const id = created.json<{ id: string }>().id;
  const path = `/api/v1/Attachment/file/${id}`;
  s.cleanup(`deleteAttachment ${id}`, () => s.call('deleteAttachment', { ...hmac('DELETE', `/api/v1/Attachment/${id}`), path: { id }, step: 'clean up' }));
  await s.call('downloadAttachmentFile', {
    ...hmac('GET', path),
    path: { id },
    expect: { success: true, sha256: sha256(bytes), because: expected.hmac_accepted },
    step: 'download with X-Hmac-Authorization',
  });
  await s.call('downloadAttachmentFile', {
    ...hmac('GET', path, 'wrong'),
    path: { id },
    expect: { unauthorized: true },
    step: 'download with an HMAC made with the wrong secret',
  });
  await s.call('downloadAttachmentFile', {
    path: { id },
    auth: 'none',
    headers: { 'X-Api-Key': target.credentials['hmac-api-key'] },
    expect: { unauthorized: true, because: expected.hmac_accepted },
    step: "the HMAC user's key sent as X-Api-Key (its auth method is HMAC)",
  });
});

// The API user is expected to hold an "own"-level role (EspoCRM's usual integration setup): it
// can neither read, change nor delete what the Basic user (an admin) created.
scenario("Another user's attachments and records are out of reach of the (non-admin) API user", { needs: needsSchemes(target, 'api-key', 'basic') }, async (s) => {
  const admin = { auth: 'none' as const, headers: schemeHeaders(target, 'basic', 'valid', { method: 'POST', path: '' }) };
  const upload = async (label: string, link: Record<string, string>) => {
    const created = await s.call('createAttachment', {
      ...admin,
      json: { name: `${s.name(label)}.txt`, type: 'text/plain', role: 'Attachment', ...link, file: dataUrl('text/plain', testBytes(64, 9)) },
      expect: { success: true },
      step: `upload ${label} as the Basic user`,
    });
    const id = created.json<{ id: string }>().id;
    s.cleanup(`deleteAttachment ${id}`, () => s.call('deleteAttachment', { ...admin, path: { id }, step: 'clean up as the Basic user' }));
    return id;
  };
  const loose = await upload('foreign', { relatedType: 'Document', field: 'file' });
  const docFile = await upload('foreign-doc-file', { relatedType: 'Document', field: 'file' });
  const document = (
    await s.call('createDocument', { ...admin, json: { name: s.name('foreign-doc'), fileId: docFile, publishDate: today() }, expect: { success: true }, step: 'create a Document as the Basic user' })
  ).json<{ id: string }>().id;
  s.cleanup(`deleteDocument ${document}`, () => s.call('deleteDocument', { ...admin, path: { id: document }, step: 'clean up as the Basic user' }));
  const note = (await s.call('createNote', { ...admin, json: { post: s.name('foreign-note'), type: 'Post' }, expect: { success: true }, step: 'create a Note as the Basic user' })).json<{
    id: string;
  }>().id;
  s.cleanup(`deleteNote ${note}`, () => s.call('deleteNote', { ...admin, path: { id: note }, step: 'clean up as the Basic user' }));

  const refused = await expectRefusal(s, 'createDocument', {
    json: { name: s.name('foreign-link'), fileId: loose, publishDate: today() },
    status: 403,
    because: expected.other_user_refused,
    step: "API user links the other user's unlinked attachment",
  });
  s.verify(expected.link_error_label, errorLabel(refused.body) === 'cannotRelateForbidden', `label is ${errorLabel(refused.body)}, expected cannotRelateForbidden`);
  await expectRefusal(s, 'getAttachment', { path: { id: loose }, status: 403, because: expected.other_user_refused, step: "API user reads the other user's attachment" });
  await expectRefusal(s, 'downloadAttachmentFile', { path: { id: loose }, status: 403, because: expected.other_user_refused, step: "API user downloads the other user's attachment" });
  await expectRefusal(s, 'deleteAttachment', { path: { id: loose }, status: 403, because: expected.other_user_refused, step: "API user deletes the other user's attachment" });
  await expectRefusal(s, 'getDocument', { path: { id: document }, status: 403, because: expected.other_user_refused, step: "API user reads the other user's Document" });
  await expectRefusal(s, 'updateDocument', { path: { id: document }, json: { name: s.name('taken-over') }, status: 403, because: expected.other_user_refused, step: "API user edits the other user's Document" });
  await expectRefusal(s, 'deleteDocument', { path: { id: document }, status: 403, because: expected.other_user_refused, step: "API user deletes the other user's Document" });
  await expectRefusal(s, 'getNote', { path: { id: note }, status: 403, because: expected.other_user_refused, step: "API user reads the other user's Note" });
  await expectRefusal(s, 'updateNote', { path: { id: note }, json: { post: s.name('taken-over') }, status: 403, because: expected.other_user_refused, step: "API user edits the other user's Note" });
  await expectRefusal(s, 'deleteNote', { path: { id: note }, status: 403, because: expected.other_user_refused, step: "API user deletes the other user's Note" });
});
