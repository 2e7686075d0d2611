// `fields` projection (named fields plus id, unknown names ignored) and the exact-match filters
// (whole value, case-sensitive, AND-combined). Expectations come from the records as the server
// reported them, so undocumented values (kind, fileFormat) are judged by the server's own words.
import { scenario } from '../../kit/scenario.ts';
import type { Expectation } from '../../kit/expectations.ts';
import type { Session } from '../../kit/session.ts';
import { caseiqExpectations as expected } from './expectations.ts';
import { caseId, listPage, tinyPdf, tinyPng, upload, type Uploaded } from './steps.ts';

/** The newest records of the case first, so this run's uploads are on the first page. */
function newest(s: Session, extra: Record<string, string | number> = {}) {
  return { objectId: caseId(s), sort: 'createdDate', order: 'desc', limit: 100, ...extra };
}

async function threeKinds(s: Session): Promise<{ pdf: Uploaded; png: Uploaded; txtFr: Uploaded; txtUs: Uploaded }> {
  const pdf = await upload(s, { fileName: `${s.name('filter-report')}.pdf`, mimeType: 'application/pdf', bytes: tinyPdf(s.name('filter')) });
  const png = await upload(s, { fileName: `${s.name('filter-photo')}.png`, mimeType: 'image/png', bytes: tinyPng });
  const txtFr = await upload(s, { fileName: `${s.name('filter-notes')}.txt`, mimeType: 'text/plain', bytes: Buffer.from('notes fr'), templateLocale: 'fr_CA' });
  const txtUs = await upload(s, { fileName: `${s.name('filter-notes')}.txt`, mimeType: 'text/plain', bytes: Buffer.from('notes us') });
  return { pdf, png, txtFr, txtUs };
}

scenario('Projection: fields returns the named fields plus id, ignoring unknown names', async (s) => {
  const file = await upload(s, { fileName: `${s.name('projected')}.txt`, mimeType: 'text/plain', bytes: Buffer.from('projected') });
  // The first list is documented (fields limits the returned fields); the odd one is not.
  const cases: Array<[string, string[], Expectation]> = [
    ['name,sizeBytes', ['id', 'name', 'sizeBytes'], expected.fields_projection],
    [' mimeType , ,attachkitNoSuchField', ['id', 'mimeType'], expected.fields_lenient_names],
  ];
  for (const [fields, allowed, expectation] of cases) {
    const because = expectation === expected.fields_projection ? undefined : expectation;
    const page = await listPage(s, newest(s, { fields }), `fields=${fields}`, because);
    const extra = page.records.flatMap((r) => Object.keys(r).filter((k) => !allowed.includes(k)));
    s.verify(expectation, extra.length === 0, `fields=${fields}: records also carry ${[...new Set(extra)].join(', ')}`);
    s.verify(expected.fields_keep_id, page.records.every((r) => typeof r.id === 'string'), `fields=${fields}: a record lacks id`);
    const mine = page.records.find((r) => r.id === file.id);
    s.verify(expectation, mine !== undefined, `fields=${fields}: the upload ${file.id} is not listed`);
    if (mine && allowed.includes('name')) {
      s.verify(expectation, mine.name === file.fileName && mine.sizeBytes === file.bytes.length, `fields=${fields}: projected values ${JSON.stringify(mine)} differ from the upload`);
    }
  }
});

/** Case IQ names kind and fileFormat as filterable; other fields are assumed to filter the same way. */
const documentedFilters = new Set(['kind', 'fileFormat']);

scenario('Filters: exact, case-sensitive, AND-combined matches on record fields', async (s) => {
  const { pdf, png, txtFr, txtUs } = await threeKinds(s);
  const uploads = [pdf, png, txtFr, txtUs];
  const checks: Array<[string, Record<string, string>]> = [
    ['mimeType of the PNG', { mimeType: String(png.record.mimeType) }],
    ['fileFormat of the PDF', { fileFormat: String(pdf.record.fileFormat) }],
    ['kind of the PNG', { kind: String(png.record.kind) }],
    ['name of the PDF', { name: pdf.fileName }],
    ['nameWithoutExtension shared by both text files', { nameWithoutExtension: String(txtFr.record.nameWithoutExtension) }],
    ['encoding of the PNG', { encoding: String(png.record.encoding) }],
    ['templateLocale fr_CA', { templateLocale: 'fr_CA' }],
    ['mimeType text/plain AND templateLocale fr_CA', { mimeType: String(txtFr.record.mimeType), templateLocale: 'fr_CA' }],
  ];
  for (const [what, filter] of checks) {
    // A field the records do not carry cannot be filtered on.
    if (Object.values(filter).some((value) => value === 'undefined' || value === 'null')) continue;
    const fields = Object.keys(filter);
    const expectation = fields.length === 1 && documentedFilters.has(fields[0]) ? expected.filter_documented_fields : expected.filter_other_fields;
    const step = `filter on ${what} (${new URLSearchParams(filter)})`;
    const page = await listPage(s, newest(s, filter), step, expectation === expected.filter_other_fields ? expectation : undefined);
    const mismatched = page.records.filter((r) => Object.entries(filter).some(([field, value]) => r[field] !== value));
    s.verify(expectation, mismatched.length === 0, `${step}: ${mismatched.length} listed record(s) do not match, e.g. ${JSON.stringify(mismatched[0])}`);
    const ids = page.records.map((r) => String(r.id));
    const matching = uploads.filter((u) => Object.entries(filter).every(([field, value]) => u.record[field] === value));
    const lost = matching.filter((u) => !ids.includes(u.id));
    s.verify(expectation, lost.length === 0, `${step}: matching upload(s) ${lost.map((u) => u.fileName).join(', ')} not listed`);
    const leaked = uploads.filter((u) => !matching.includes(u) && ids.includes(u.id));
    s.verify(expectation, leaked.length === 0, `${step}: non-matching upload(s) ${leaked.map((u) => u.fileName).join(', ')} listed`);
  }

  const upper = String(png.record.mimeType).toUpperCase();
  const shouted = await listPage(s, newest(s, { mimeType: upper }), `filter mimeType=${upper} (case differs)`, expected.filter_exact_match);
  s.verify(expected.filter_exact_match, !shouted.records.some((r) => r.id === png.id), `mimeType=${upper} matched ${png.record.mimeType}: filters must be case-sensitive`);
  const partial = await listPage(s, newest(s, { name: pdf.fileName.slice(0, -2) }), 'filter on a name prefix', expected.filter_exact_match);
  s.verify(expected.filter_exact_match, !partial.records.some((r) => r.id === pdf.id), 'a name prefix matched: filters must compare whole values');
  const none = await listPage(s, newest(s, { fileFormat: s.name('no-such-format') }), 'filter that matches nothing');
  s.verify(expected.filter_documented_fields, none.records.length === 0, `a fileFormat nothing has listed ${none.records.length} record(s)`);
});
