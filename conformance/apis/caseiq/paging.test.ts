// Keyset paging as the contract states it: walking every page of the case's attachments with
// tie-safe cursors, in every mode, lists each record exactly once and in (sort, id) order. The
// case may hold other attachments (a real site): the walks filter by objectId and judge the
// run's own uploads, plus order and repeats over everything they see.
import { scenario } from '../../kit/scenario.ts';
import type { Session } from '../../kit/session.ts';
import { caseiqExpectations as expected } from './expectations.ts';
import { caseId, listPage, upload, type Uploaded } from './steps.ts';
import { compareRecords, cursorOf, verifyWalk, walkPages, type WalkMode } from './walk.ts';

/** Five files; three share a media type, so sort=mimeType has ties only the id can order. */
async function uploadFive(s: Session): Promise<Uploaded[]> {
  const files: Uploaded[] = [];
  const types: Array<[string, string]> = [['txt', 'text/plain'], ['png', 'image/png'], ['txt', 'text/plain'], ['pdf', 'application/pdf'], ['txt', 'text/plain']];
  for (const [i, [extension, mimeType]] of types.entries()) {
    files.push(await upload(s, { fileName: `${s.name(`page-${i + 1}`)}.${extension}`, mimeType, bytes: Buffer.from(`${s.name('page')} ${i + 1}`) }));
  }
  return files;
}

const modes: WalkMode[] = [];
for (const limit of [1, 2]) {
  for (const order of ['asc', 'desc'] as const) {
    for (const direction of ['after', 'before'] as const) modes.push({ sort: 'createdDate', order, limit, direction });
  }
}
const tieModes: WalkMode[] = [
  { sort: 'mimeType', order: 'asc', limit: 1, direction: 'after' },
  { sort: 'mimeType', order: 'desc', limit: 1, direction: 'after' },
  { sort: 'mimeType', order: 'desc', limit: 2, direction: 'before' },
];

scenario('Paging: walks by createdDate (limit 1 and 2, asc and desc, after and before) see every record once', async (s) => {
  const files = await uploadFive(s);
  const ids = files.map((f) => f.id);
  const filters = { objectId: caseId(s) };
  const sequences: Record<string, string[]> = {};
  for (const mode of modes) {
    const walk = await walkPages(s, mode, filters);
    verifyWalk(s, mode, walk, ids);
    sequences[`${mode.order}-${mode.limit}-${mode.direction}`] = walk.records.map((r) => String(r.id)).filter((id) => ids.includes(id));
  }
  // The run's uploads keep one relative order in every walk: desc is asc reversed.
  const ascending = JSON.stringify(sequences['asc-1-after']);
  for (const [key, sequence] of Object.entries(sequences)) {
    const wanted = key.startsWith('asc') ? ascending : JSON.stringify([...JSON.parse(ascending)].reverse());
    s.verify(expected.paging_consistent, JSON.stringify(sequence) === wanted, `walk ${key} lists the uploads as ${JSON.stringify(sequence)}, the asc after-walk as ${ascending}`);
  }
});

scenario('Paging: walks by mimeType, where tied values are ordered by id, see every record once', async (s) => {
  const files = await uploadFive(s);
  const filters = { objectId: caseId(s) };
  for (const mode of tieModes) verifyWalk(s, mode, await walkPages(s, mode, filters), files.map((f) => f.id));
});

scenario('Paging: before and after together, plain-value cursors and empty windows', async (s) => {
  // In contract order, should two uploads share a createdDate.
  const files = (await uploadFive(s)).sort((a, b) => compareRecords(a.record, b.record, 'createdDate'));
  const filters = { objectId: caseId(s), sort: 'createdDate', limit: 100 };
  const first = files[0].record;
  const last = files[files.length - 1].record;
  const between = await listPage(
    s,
    { ...filters, after: cursorOf(first, 'createdDate'), before: cursorOf(last, 'createdDate') },
    'window strictly between the first and last upload',
    expected.window_between_cursors,
  );
  const seen = between.records.map((r) => String(r.id));
  const inner = files.slice(1, -1).map((f) => f.id);
  s.verify(expected.window_between_cursors, inner.every((id) => seen.includes(id)), `the window between two cursors lacks uploads: saw ${JSON.stringify(seen)}, expected ${JSON.stringify(inner)}`);
  s.verify(expected.window_excludes_cursors, !seen.includes(files[0].id) && !seen.includes(files[files.length - 1].id), 'the window between two cursors includes a cursor record itself');

  // Documented: records after or before a field value, with sort. order=asc is explicit, so
  // after/before mean later/earlier values whether Case IQ reads them by value or by listing order.
  const ascending = { ...filters, order: 'asc' };
  const plain = await listPage(s, { ...ascending, after: String(first.createdDate) }, 'after=<createdDate> alone (plain value)');
  const plainIds = plain.records.map((r) => String(r.id));
  const sameValue = files.filter((f) => f.record.createdDate === first.createdDate).map((f) => f.id);
  const later = files.filter((f) => !sameValue.includes(f.id)).map((f) => f.id);
  s.verify(expected.plain_cursor_excludes_value, sameValue.every((id) => !plainIds.includes(id)), 'after=<value> lists a record holding that value');
  // Past the first page (a case with more records than limit) the rest cannot be judged.
  if (plain.records.length < ascending.limit) s.verify(expected.plain_cursor_keeps_rest, later.every((id) => plainIds.includes(id)), 'after=<value> drops records past it');
  const earlier = await listPage(s, { ...ascending, before: String(last.createdDate) }, 'before=<createdDate> alone (plain value)');
  const lastValue = Date.parse(String(last.createdDate));
  const notBefore = earlier.records.filter((r) => !(Date.parse(String(r.createdDate)) < lastValue));
  s.verify(
    expected.plain_cursor_excludes_value,
    Number.isNaN(lastValue) || notBefore.length === 0,
    `before=<value> lists ${notBefore.length} record(s) at or past that value, e.g. ${JSON.stringify(notBefore[0]?.createdDate)}`,
  );
  const beforeIds = earlier.records.map((r) => String(r.id));
  const lastValueIds = files.filter((f) => f.record.createdDate === last.createdDate).map((f) => f.id);
  const olderUploads = files.filter((f) => !lastValueIds.includes(f.id)).map((f) => f.id);
  if (earlier.records.length < ascending.limit) s.verify(expected.plain_cursor_keeps_rest, olderUploads.every((id) => beforeIds.includes(id)), 'before=<value> drops records before it');
  // Documented: order is the sort direction (ties are not documented, so only the values are judged).
  for (const order of ['asc', 'desc'] as const) {
    const page = await listPage(s, { ...filters, order }, `sort=createdDate order=${order}`);
    const values = page.records.map((r) => Date.parse(String(r.createdDate)));
    const wrong = values.findIndex((v, i) => i > 0 && (order === 'asc' ? v < values[i - 1] : v > values[i - 1]));
    s.verify(expected.sort_order, wrong < 0, `order=${order}: ${page.records[wrong - 1]?.createdDate} is listed before ${page.records[wrong]?.createdDate}`);
  }

  const empty = await listPage(
    s,
    { ...filters, after: cursorOf(last, 'createdDate'), before: cursorOf(first, 'createdDate') },
    'after the last upload and before the first: an empty window',
    expected.empty_window,
  );
  s.verify(expected.empty_window, empty.records.length === 0, `an empty window listed ${empty.records.length} record(s)`);
});
