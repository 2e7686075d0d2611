// The main flow on the record under test: upload → not listed yet → attach → listed, and
// the event carries the files → download identical bytes → delete → gone.
import { scenario } from '../../kit/scenario.ts';
import { currentTarget } from '../../kit/current-target.ts';
import {
  call,
  describeEntity,
  entityPath,
  listedIds,
  occurrences,
  responseOf,
  targetEntity,
  testBytes,
  uploadFile,
  verifyAttachEvent,
  viewPath,
  type FileWrapper,
  type RelationshipEvent,
} from './steps.ts';
import { onlyofficeExpectations as expected } from './expectations.ts';

const target = currentTarget();
const name = `${target.options['entity-type'] ?? 'contact'} ${target.options['entity-id'] ?? 1}`;

scenario(`Files on ${name}: upload → not listed → attach → listed, on the event → download identical bytes → delete → gone`, async (s) => {
  const entity = targetEntity(s);
  const root = responseOf<number>(await call(s, 'getCrmRootFolder', { expect: { status: 200 }, step: 'read the CRM root folder id' }));
  const first = await uploadFile(s, 'lifecycle-multipart', testBytes(3000, 1), 'multipart');
  const second = await uploadFile(s, 'lifecycle-raw', testBytes(1500, 2), 'raw');
  for (const upload of [first, second]) {
    s.verify(expected.upload_keeps_name, upload.file.title === upload.title, `file ${upload.id} is titled ${upload.file.title}, expected ${upload.title}`);
    s.verify(expected.upload_in_crm_root, upload.file.folderId === root, `file ${upload.id} is in folder ${upload.file.folderId}, not the CRM root folder ${root}`);
    const size = upload.file.pureContentLength;
    s.verify(expected.upload_size, size === upload.bytes.length, `file ${upload.id} reports pureContentLength ${size}, expected ${upload.bytes.length}`);
  }

  const before = await listedIds(s, entity, `list ${describeEntity(entity)} before attaching`);
  const early = [first.id, second.id].filter((id) => before.includes(id));
  s.verify(expected.upload_does_not_attach, early.length === 0, `uploaded file(s) ${early.join(', ')} are listed on ${describeEntity(entity)} before attachCrmFiles: the upload attached them`);

  const attached = await call(s, 'attachCrmFiles', {
    path: entityPath(entity),
    json: { fileids: [first.id, second.id] },
    expect: { status: 201 },
    step: `attach both files to ${describeEntity(entity)}`,
  });
  verifyAttachEvent(s, responseOf<RelationshipEvent>(attached), entity, [first.id, second.id]);

  const after = await listedIds(s, entity, 'list after attaching');
  for (const upload of [first, second]) {
    const times = occurrences(after, upload.id);
    s.verify(expected.attach_lists_files, times === 1, `after attaching, file ${upload.id} is listed ${times} time(s), expected once`);
  }

  const viewUrl = first.file.viewUrl ?? '';
  const handler = new URL(viewUrl, s.target.baseUrl);
  s.verify(
    expected.view_url_downloads,
    handler.pathname.toLowerCase().endsWith('/products/files/httphandlers/filehandler.ashx') && handler.searchParams.get('fileid') === String(first.id),
    `viewUrl '${viewUrl}' is not the file handler URL of file ${first.id}`,
  );
  // download_matches_record holds Content-Disposition and Content-Length to the file's title and pureContentLength.
  await s.request('GET', viewPath(s, viewUrl), { expect: { status: 200, sha256: first.sha256, record: { ...first.file } }, step: 'download the multipart upload from its viewUrl' });
  await s.call('downloadFile', {
    query: { action: 'download', fileid: second.id },
    expect: { status: 200, sha256: second.sha256, record: { ...second.file } },
    step: 'download the raw-body upload',
  });

  const deleted = await call(s, 'deleteCrmFile', { path: { fileid: first.id }, expect: { status: 200 }, step: 'delete the multipart upload' });
  const was = responseOf<FileWrapper>(deleted);
  s.verify(expected.delete_returns_file, was?.id === first.id && was?.title === first.title, `deleteCrmFile answered file ${was?.id} (${was?.title}), expected ${first.id}`);
  const remaining = await listedIds(s, entity, 'list after deleting');
  s.verify(expected.delete_unlinks_file, !remaining.includes(first.id), `deleted file ${first.id} is still listed on ${describeEntity(entity)}`);
  s.verify(expected.delete_keeps_others, occurrences(remaining, second.id) === 1, `file ${second.id}, not deleted, is no longer listed once`);
  await s.call('downloadFile', { query: { action: 'download', fileid: first.id }, expect: { status: 404, because: expected.delete_unlinks_file }, step: 'download the deleted file' });
  await call(s, 'deleteCrmFile', { path: { fileid: first.id }, expect: { status: 404, because: expected.delete_unlinks_file }, step: 'delete the deleted file again' });
});
