import type { Request } from 'express';
import { caseIqErrors } from './errors.ts';
import { parseCursor, parseCursorCarelessly, sortColumns, type SortField } from './cursor.ts';
import { filterColumns, type FilterField, type ListQuery } from './keyset.ts';

/**
 * listAttachments' query, read the way the contract states it. The validator has already
 * refused most bad input (types, enums, bounds); these checks repeat the ones a handler must not
 * rely on a validator for, so bad input is a 400 whatever sits in front.
 */
export function readListQuery(req: Request, faults: ReadonlySet<string>): { query: ListQuery; fields: string[] | undefined } {
  const q = req.query as Record<string, unknown>;
  const sort = (single(q, 'sort') ?? 'createdDate') as SortField;
  if (!(sort in sortColumns)) throw caseIqErrors.invalidRequest(`sort must be one of ${Object.keys(sortColumns).join(', ')}`);
  const order = single(q, 'order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw caseIqErrors.invalidRequest('order must be asc or desc');
  const limitText = single(q, 'limit') ?? '25';
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw caseIqErrors.invalidLimit();

  const cursor = faults.has('bad-cursor-500') ? parseCursorCarelessly : parseCursor;
  const before = single(q, 'before');
  const after = single(q, 'after');
  const filters: ListQuery['filters'] = {};
  for (const field of Object.keys(filterColumns) as FilterField[]) {
    const value = single(q, field);
    if (value !== undefined) filters[field] = value;
  }
  return {
    query: {
      sort,
      order,
      limit,
      before: before === undefined ? undefined : cursor(before, sort, 'before'),
      after: after === undefined ? undefined : cursor(after, sort, 'after'),
      filters,
    },
    fields: readFields(q.fields),
  };
}

/** One value per parameter: repeating a filter or cursor is refused, not silently reduced. */
function single(q: Record<string, unknown>, name: string): string | undefined {
  const value = q[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) throw caseIqErrors.repeatedParameter(name);
  return String(value);
}

/** `fields=a,b` (the validator may already have split it): trimmed, empties dropped; none means all. */
function readFields(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => String(item).split(','));
  const fields = items.map((f) => f.trim()).filter((f) => f !== '');
  return fields.length ? fields : undefined;
}
