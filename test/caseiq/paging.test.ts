// Keyset paging on the reference server against an independent oracle: many records whose sort
// values tie, walked page by page with tie-safe cursors in every mode, must come back exactly in
// (sort, id) order, each once.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AttachmentRow } from '../../server/apis/caseiq/repository.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { api, bearer, grantToken, insertRecord, seededCase } from './caseiq-client.ts';

type Row = Record<string, unknown>;

const sortFields = { createdDate: 'created_date', name: 'name', sizeBytes: 'size_bytes', mimeType: 'mime_type', id: 'id' } as const;
type SortField = keyof typeof sortFields;

function compare(a: AttachmentRow, b: AttachmentRow, sort: SortField): number {
  const column = sortFields[sort];
  const [x, y] = [a[column], b[column]];
  const byValue = typeof x === 'number' && typeof y === 'number' ? x - y : Buffer.compare(Buffer.from(String(x)), Buffer.from(String(y)));
  return byValue !== 0 ? Math.sign(byValue) : Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));
}

describe('Case IQ listing: keyset paging with ties', () => {
  let server: RunningServer;
  let token: string;
  const rows: AttachmentRow[] = [];

  beforeAll(async () => {
    server = await startReferenceServer({ apis: ['caseiq'] });
    token = await grantToken(server.url);
    const instants = ['2024-05-02T09:15:00.000Z', '2024-05-02T09:16:00.000Z', '2024-05-02T09:16:00.001Z', '2025-01-01T00:00:00.000Z'];
    const names = ['b.txt', 'B.txt', 'a.txt', 'report|v2.txt'];
    for (let i = 0; i < 40; i++) {
      rows.push(
        await insertRecord(server.store, {
          created_date: instants[i % 4],
          name: names[(i >> 2) % 4],
          size_bytes: i % 3,
          mime_type: i % 5 === 0 ? 'image/png' : 'text/plain',
        }),
      );
    }
    // Records on another object: the objectId filter must keep them out of every walk.
    for (let i = 0; i < 5; i++) await insertRecord(server.store, { created_date: instants[i % 4], object_id: '00000000-0000-4000-8000-0000000000ff' });
  });
  afterAll(() => server.close());

  async function list(query: Record<string, string | number>): Promise<{ status: number; records: Row[]; count: number }> {
    const url = new URL(`${server.url}${api}/attachments`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    const response = await fetch(url, { headers: bearer(token) });
    const body = (await response.json()) as { records: Row[]; count: number };
    return { status: response.status, ...body };
  }

  function cursor(record: Row, sort: SortField): string {
    return `${String(record[sort])}|${String(record.id)}`;
  }

  /** The contract's walk: after-walks forwards from the first page, before-walks back from the last record. */
  async function walk(sort: SortField, order: 'asc' | 'desc', limit: number, direction: 'after' | 'before'): Promise<string[]> {
    const base = { objectId: seededCase, sort, order, limit };
    let seen: Row[] = [];
    let next: string | undefined;
    if (direction === 'before') {
      const tail = await list({ ...base, order: order === 'asc' ? 'desc' : 'asc', limit: 1 });
      seen = tail.records;
      next = cursor(tail.records[0], sort);
    }
    for (let pages = 0; pages < 200; pages++) {
      const page = await list(next === undefined ? base : { ...base, [direction]: next });
      expect(page.status).toBe(200);
      expect(page.count).toBe(page.records.length);
      expect(page.records.length).toBeLessThanOrEqual(limit);
      seen = direction === 'after' ? [...seen, ...page.records] : [...page.records, ...seen];
      if (page.records.length < limit) return seen.map((r) => String(r.id));
      next = cursor(direction === 'after' ? page.records[page.records.length - 1] : page.records[0], sort);
    }
    throw new Error('walk did not end');
  }

  const modes = (Object.keys(sortFields) as SortField[]).flatMap((sort) =>
    (['asc', 'desc'] as const).flatMap((order) => [1, 3, 7].flatMap((limit) => (['after', 'before'] as const).map((direction) => ({ sort, order, limit, direction })))),
  );

  test.each(modes)('$direction-walk sort=$sort order=$order limit=$limit lists every record once, in order', async ({ sort, order, limit, direction }) => {
    const expected = [...rows].sort((a, b) => (order === 'asc' ? 1 : -1) * compare(a, b, sort)).map((r) => r.id);
    expect(await walk(sort, order, limit, direction)).toEqual(expected);
  });

  test('a plain-value cursor excludes every record sharing the value', async () => {
    const page = await list({ objectId: seededCase, after: '2024-05-02T09:16:00.000Z', limit: 100 });
    const expected = rows.filter((r) => r.created_date > '2024-05-02T09:16:00.000Z').sort((a, b) => compare(a, b, 'createdDate'));
    expect(page.records.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    // An offset is the same instant; the value is compared as a date, not as text.
    const shifted = await list({ objectId: seededCase, after: '2024-05-02T11:16:00.000+02:00', limit: 100 });
    expect(shifted.records.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  test('a string cursor containing | still reads its value; values compare by code point', async () => {
    const [tied] = rows.filter((r) => r.name === 'report|v2.txt').sort((a, b) => compare(a, b, 'name'));
    const page = await list({ objectId: seededCase, sort: 'name', after: `report|v2.txt|${tied.id}`, limit: 100 });
    const expected = rows.filter((r) => compare(r, tied, 'name') > 0).sort((a, b) => compare(a, b, 'name'));
    expect(page.records.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    const upperFirst = await list({ objectId: seededCase, sort: 'name', limit: 100, fields: 'name' });
    expect(upperFirst.records[0].name).toBe('B.txt');
  });

  test('before with only a cursor returns the records immediately preceding it, in order', async () => {
    const sorted = [...rows].sort((a, b) => compare(a, b, 'sizeBytes'));
    const pivot = sorted[20];
    const page = await list({ objectId: seededCase, sort: 'sizeBytes', before: `${pivot.size_bytes}|${pivot.id}`, limit: 4 });
    expect(page.records.map((r) => r.id)).toEqual(sorted.slice(16, 20).map((r) => r.id));
  });

  test('before and after together bound a window; a crossed window is empty, not an error', async () => {
    const sorted = [...rows].sort((a, b) => compare(a, b, 'createdDate'));
    const [low, high] = [sorted[5], sorted[30]];
    const window = await list({ objectId: seededCase, after: cursor({ ...low, createdDate: low.created_date }, 'createdDate'), before: cursor({ ...high, createdDate: high.created_date }, 'createdDate'), limit: 100 });
    expect(window.records.map((r) => r.id)).toEqual(sorted.slice(6, 30).map((r) => r.id));
    const crossed = await list({ objectId: seededCase, after: `${high.created_date}|${high.id}`, before: `${low.created_date}|${low.id}` });
    expect(crossed).toEqual({ status: 200, records: [], count: 0 });
  });

  test('limit defaults to 25 and is refused outside 1..100; count is the page size', async () => {
    const page = await list({ objectId: seededCase });
    expect(page.records).toHaveLength(25);
    expect(page.count).toBe(25);
    for (const limit of [0, 101]) {
      const refused = await list({ limit });
      expect(refused.status).toBe(400);
      expect(refused).toMatchObject({ httpstatus: 400, message: 'BAD_REQUEST' });
    }
  });

  test('fields projects every record to the named fields plus id', async () => {
    const page = await list({ objectId: seededCase, fields: ' name ,, sizeBytes,nope', limit: 100 });
    expect(page.records).toHaveLength(40);
    for (const record of page.records) expect(Object.keys(record).sort()).toEqual(['id', 'name', 'sizeBytes']);
    const all = await list({ objectId: seededCase, fields: '', limit: 1 });
    expect(Object.keys(all.records[0])).toContain('createdDate');
  });
});
