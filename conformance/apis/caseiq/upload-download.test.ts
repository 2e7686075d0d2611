// save_file with 0, 1 and 3 tags → the record matches what was sent → getAttachment agrees →
// the download is the same bytes, typed and named.
import { scenario } from '../../kit/scenario.ts';
import type { Session } from '../../kit/session.ts';
import { caseiqExpectations as expected } from './expectations.ts';
import { tagIds, testBytes, tinyPdf, tinyPng, upload, verifyRecord, type Uploaded } from './steps.ts';

async function readBack(s: Session, file: Uploaded): Promise<void> {
  const got = await s.call('getAttachment', { path: { id: file.id }, expect: { status: 200 }, step: `read ${file.fileName}` });
  if (got.status === 200) verifyRecord(s, got.json<Record<string, unknown>>(), file, 'getAttachment');
  const download = await s.call('downloadAttachment', { path: { id: file.id }, expect: { status: 200, sha256: file.sha256 }, step: `download ${file.fileName}` });
  if (download.status !== 200) return;
  const type = (download.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  s.verify(expected.download_typed, type === file.mimeType, `download of ${file.fileName}: Content-Type ${type || '(none)'}, expected ${file.mimeType}`);
  const disposition = download.headers['content-disposition'] ?? '';
  s.verify(expected.download_names_file, disposition.includes(file.fileName), `download of ${file.fileName}: Content-Disposition '${disposition}' does not carry the file name`);
}

scenario('Upload with no tags: a binary file with every byte value round-trips', async (s) => {
  const file = await upload(s, { fileName: `${s.name('bytes')}.bin`, mimeType: 'application/octet-stream', bytes: testBytes(70_000, 1) });
  await readBack(s, file);
});

scenario('Upload with one tag (one bulkTags[] part) and a description', async (s) => {
  const [tag] = tagIds(s);
  const file = await upload(s, {
    fileName: `${s.name('statement')}.txt`,
    mimeType: 'text/plain',
    bytes: Buffer.from(`Witness statement for ${s.name('statement')}\r\nline two\n`),
    tags: [tag],
    description: 'Signed witness statement',
  });
  await readBack(s, file);
});

scenario('Upload with three tags, an explicit templateLocale, and a PDF and a PNG', async (s) => {
  const tags = tagIds(s).slice(0, 3);
  const png = await upload(s, { fileName: `${s.name('site-photo')}.png`, mimeType: 'image/png', bytes: tinyPng, tags, description: 'Site photos', templateLocale: 'fr_CA' });
  await readBack(s, png);
  const pdf = await upload(s, { fileName: `${s.name('report')}.pdf`, mimeType: 'application/pdf', bytes: tinyPdf(s.name('report')) });
  await readBack(s, pdf);
});
