import { caseIqErrors } from './errors.ts';

/** The fields listAttachments may sort by, and the column each lives in. */
export const sortColumns = {
  createdDate: 'created_date',
  name: 'name',
  nameWithoutExtension: 'name_without_extension',
  sizeBytes: 'size_bytes',
  mimeType: 'mime_type',
  encoding: 'encoding',
  objectId: 'object_id',
  id: 'id',
} as const;

export type SortField = keyof typeof sortColumns;

/** A keyset cursor: a sort value, and with the tie-safe form the id of the record it names. */
export interface Cursor {
  value: string | number;
  id?: string;
}

const tieSafe = /^(.*)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/is;
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * `<sortValue>|<id>` when the text ends with `|` and a UUID (the value is everything before that
 * last `|`, so values containing `|` still work), else `<sortValue>` alone. The value is read as
 * the sort field's type; one that cannot be is a 400, never a crash.
 */
export function parseCursor(raw: string, sort: SortField, parameter: 'before' | 'after'): Cursor {
  const m = tieSafe.exec(raw);
  const text = m ? m[1] : raw;
  const id = m ? m[2].toLowerCase() : undefined;
  return { value: sortValue(text, sort, parameter), id };
}

function sortValue(text: string, sort: SortField, parameter: 'before' | 'after'): string | number {
  if (sort === 'createdDate') {
    const instant = rfc3339.test(text) ? Date.parse(text.replace(' ', 'T')) : Number.NaN;
    if (Number.isNaN(instant)) throw caseIqErrors.invalidCursor(parameter, sort);
    // Stored dates are toISOString() text, whose order is their chronological order.
    return new Date(instant).toISOString();
  }
  if (sort === 'sizeBytes') {
    const size = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(size)) throw caseIqErrors.invalidCursor(parameter, sort);
    return size;
  }
  return text;
}

/**
 * What fault `bad-cursor-500` does instead: trusts the cursor to be a date, so garbage reaches
 * toISOString() and throws a RangeError (a 500) instead of getting the documented 400.
 */
export function parseCursorCarelessly(raw: string, sort: SortField, parameter: 'before' | 'after'): Cursor {
  if (sort !== 'createdDate') return parseCursor(raw, sort, parameter);
  const m = tieSafe.exec(raw);
  return { value: new Date(m ? m[1] : raw).toISOString(), id: m?.[2].toLowerCase() };
}
