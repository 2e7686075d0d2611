import { sortColumns, type Cursor, type SortField } from './cursor.ts';

export const filterColumns = {
  kind: 'kind',
  fileFormat: 'file_format',
  mimeType: 'mime_type',
  name: 'name',
  nameWithoutExtension: 'name_without_extension',
  objectId: 'object_id',
  encoding: 'encoding',
  templateLocale: 'template_locale',
} as const;

export type FilterField = keyof typeof filterColumns;

export interface ListQuery {
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  before?: Cursor;
  after?: Cursor;
  filters: Partial<Record<FilterField, string>>;
  /** Fault `boundary-repeated`: cursors compare with >= / <=, so the cursor's record comes back. */
  inclusiveCursors?: boolean;
  /** Fault `desc-tiebreak-ascending`: ORDER BY sort DESC, id ASC while cursors assume id DESC. */
  ascendingTiebreak?: boolean;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** Equality filters: a NULL column never equals anything, so null fields never match. */
export function filterClause(filters: ListQuery['filters']): Statement {
  const entries = Object.entries(filters).filter(([, v]) => v !== undefined) as Array<[FilterField, string]>;
  return {
    sql: entries.map(([field]) => `${filterColumns[field]} = ?`).join(' AND '),
    params: entries.map(([, value]) => value),
  };
}

/**
 * Records strictly beyond a cursor in the direction `op`: the pair (value, id) for the tie-safe
 * form, the value alone for the plain form (so every record sharing it is excluded).
 */
function beyond(column: string, cursor: Cursor, op: '>' | '<', inclusive: boolean): Statement {
  const cmp = inclusive ? `${op}=` : op;
  if (cursor.id === undefined) return { sql: `${column} ${cmp} ?`, params: [cursor.value] };
  return { sql: `(${column} ${op} ? OR (${column} = ? AND id ${cmp} ?))`, params: [cursor.value, cursor.value, cursor.id] };
}

/**
 * The contract's keyset page, as one SELECT. The total order is (sort, id), both in `order`.
 * `after`/`before` cut the window; without `before` the page is the window's first `limit`
 * records, with only `before` its last `limit` (read backwards, then put back in order).
 */
export function pageStatement(q: ListQuery): { statement: Statement; readBackwards: boolean } {
  const column = sortColumns[q.sort];
  const forward = q.order === 'asc' ? '>' : '<';
  const backward = q.order === 'asc' ? '<' : '>';
  const clauses: Statement[] = [];
  const filters = filterClause(q.filters);
  if (filters.sql) clauses.push(filters);
  if (q.after) clauses.push(beyond(column, q.after, forward, Boolean(q.inclusiveCursors)));
  if (q.before) clauses.push(beyond(column, q.before, backward, Boolean(q.inclusiveCursors)));

  const readBackwards = q.before !== undefined && q.after === undefined;
  const asc = (q.order === 'asc') !== readBackwards;
  const direction = asc ? 'ASC' : 'DESC';
  const tiebreak = q.ascendingTiebreak && q.order === 'desc' ? (readBackwards ? 'DESC' : 'ASC') : direction;
  const where = clauses.length ? `WHERE ${clauses.map((c) => c.sql).join(' AND ')}` : '';
  return {
    statement: {
      sql: `SELECT * FROM caseiq_attachment ${where} ORDER BY ${column} ${direction}, id ${tiebreak} LIMIT ?`,
      params: [...clauses.flatMap((c) => c.params), q.limit],
    },
    readBackwards,
  };
}
