import type { Expectation } from '../../kit/expectations.ts';
import type { Session } from '../../kit/session.ts';
import { caseiqExpectations as expected } from './expectations.ts';
import { listPage } from './steps.ts';

export interface WalkMode {
  sort: 'createdDate' | 'mimeType';
  order: 'asc' | 'desc';
  limit: number;
  /** `after`: first page, then after the last record; `before`: last record, then before the first. */
  direction: 'after' | 'before';
}

export interface Walk {
  /** Every record seen, in the walk's order (`order`), whichever direction it was collected in. */
  records: Array<Record<string, unknown>>;
  /** An id seen twice, if any (the walk stops there). */
  repeated?: string;
  pages: number;
  /** True when the walk hit the page cap without a short page. */
  unfinished: boolean;
}

const maxPages = 5000;

function label(mode: WalkMode): string {
  return `${mode.direction}-walk sort=${mode.sort} order=${mode.order} limit=${mode.limit}`;
}

/** The tie-safe cursor of a record: `<sortValue>|<id>`. */
export function cursorOf(record: Record<string, unknown>, sort: string): string {
  return `${String(record[sort])}|${String(record.id)}`;
}

/**
 * Walks every page of the case's attachments in one mode, as the contract tells clients to:
 * after-walks from the first page onwards with `after=<last>`, before-walks from the last record
 * backwards with `before=<first>`, until a page is shorter than `limit`. A repeated id ends the
 * walk at once (a server that ignores the cursor would repeat forever).
 */
export async function walkPages(session: Session, mode: WalkMode, filters: Record<string, string>): Promise<Walk> {
  const base = { ...filters, sort: mode.sort, order: mode.order, limit: mode.limit };
  const seen = new Set<string>();
  let collected: Array<Record<string, unknown>> = [];
  let cursor: string | undefined;
  const take = (records: Array<Record<string, unknown>>): string | undefined => {
    let repeated: string | undefined;
    for (const id of records.map((r) => String(r.id))) {
      if (seen.has(id)) repeated ??= id;
      seen.add(id);
    }
    return repeated;
  };

  if (mode.direction === 'before') {
    const reverse = mode.order === 'asc' ? 'desc' : 'asc';
    const tail = await listPage(session, { ...filters, sort: mode.sort, order: reverse, limit: 1 }, `${label(mode)}: the last record (order=${reverse}, limit=1)`, sortBecause(mode));
    if (tail.records.length === 0) return { records: [], pages: 1, unfinished: false };
    take(tail.records);
    collected = tail.records;
    cursor = cursorOf(tail.records[0], mode.sort);
  }
  for (let page = 1; page <= maxPages; page++) {
    const query = cursor === undefined ? base : { ...base, [mode.direction]: cursor };
    const { records } = await listPage(session, query, `${label(mode)}: page ${page}${cursor ? ` (${mode.direction}=${cursor})` : ''}`, cursor === undefined ? sortBecause(mode) : expected.tie_safe_cursor);
    const repeated = take(records);
    collected = mode.direction === 'after' ? [...collected, ...records] : [...records, ...collected];
    if (repeated) return { records: collected, repeated, pages: page, unfinished: false };
    if (records.length < mode.limit) return { records: collected, pages: page, unfinished: false };
    cursor = cursorOf(mode.direction === 'after' ? records[records.length - 1] : records[0], mode.sort);
  }
  return { records: collected, pages: maxPages, unfinished: true };
}

/** Sorting on createdDate is documented; on another field, that field being sortable is not. */
function sortBecause(mode: WalkMode): Expectation | undefined {
  return mode.sort === 'createdDate' ? undefined : expected.paging_order;
}

/** Contract order: by the sort value (dates as instants, strings by code point), then by id. */
export function compareRecords(a: Record<string, unknown>, b: Record<string, unknown>, sort: string): number {
  const byValue = sort === 'createdDate' ? Date.parse(String(a[sort])) - Date.parse(String(b[sort])) : codePointCompare(String(a[sort]), String(b[sort]));
  return byValue !== 0 ? Math.sign(byValue) : codePointCompare(String(a.id), String(b.id));
}

function codePointCompare(a: string, b: string): number {
  // UTF-8 byte order is code point order.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Checks one walk: it ended, saw no id twice, saw each of the run's ids once, in contract order. */
export function verifyWalk(session: Session, mode: WalkMode, walk: Walk, uploadedIds: string[]): void {
  const name = label(mode);
  session.verify(expected.paging_terminates, !walk.unfinished, `${name}: no short page after ${walk.pages} pages`);
  session.verify(expected.paging_no_repeats, walk.repeated === undefined, `${name}: record ${walk.repeated} was listed twice (page ${walk.pages})`);
  const ids = walk.records.map((r) => String(r.id));
  const missing = uploadedIds.filter((id) => !ids.includes(id));
  session.verify(expected.paging_sees_every_record, missing.length === 0, `${name}: ${missing.length} of the ${uploadedIds.length} uploaded records never listed (${missing.join(', ')})`);
  if (walk.repeated !== undefined) return;
  const sign = mode.order === 'asc' ? 1 : -1;
  const misplaced = walk.records.findIndex((r, i) => i > 0 && sign * compareRecords(walk.records[i - 1], r, mode.sort) >= 0);
  session.verify(
    expected.paging_order,
    misplaced < 0,
    misplaced < 0
      ? ''
      : `${name}: ${cursorOf(walk.records[misplaced - 1], mode.sort)} is listed before ${cursorOf(walk.records[misplaced], mode.sort)}, against ${mode.sort} ${mode.order} then id`,
  );
}
