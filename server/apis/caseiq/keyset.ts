import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sortColumns, type Cursor, type SortField } from './cursor.ts';
import type { CaseIqTables } from './repository.ts';

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

type Eb = ExpressionBuilder<CaseIqTables, 'caseiq_attachment'>;
type Column = (typeof sortColumns)[SortField];

/** Equality filters: a NULL column never equals anything, so null fields never match. */
export function filterConditions(eb: Eb, filters: ListQuery['filters']): Array<Expression<SqlBool>> {
  const entries = Object.entries(filters).filter(([, v]) => v !== undefined) as Array<[FilterField, string]>;
  return entries.map(([field, value]) => eb(filterColumns[field], '=', value));
}

/**
 * Records strictly beyond a cursor in the direction `op`: the pair (value, id) for the tie-safe
 * form, the value alone for the plain form (so every record sharing it is excluded).
 */
function beyond(eb: Eb, column: Column, cursor: Cursor, op: '>' | '<', inclusive: boolean): Expression<SqlBool> {
  const cmp = inclusive ? (`${op}=` as const) : op;
  if (cursor.id === undefined) return eb(column, cmp, cursor.value);
  return eb.or([eb(column, op, cursor.value), eb.and([eb(column, '=', cursor.value), eb('id', cmp, cursor.id)])]);
}

/**
 * The contract's keyset page, as one SELECT in the workspace. The total order is (sort, id),
 * both in `order`; text compares bytewise on both engines (COLLATE "C" on PostgreSQL).
 * `after`/`before` cut the window; without `before` the page is the window's first `limit`
 * records, with only `before` its last `limit` (read backwards, then put back in order).
 */
export function pageQuery(db: Kysely<CaseIqTables>, workspace: string, q: ListQuery) {
  const column = sortColumns[q.sort];
  const forward = q.order === 'asc' ? '>' : '<';
  const backward = q.order === 'asc' ? '<' : '>';
  const readBackwards = q.before !== undefined && q.after === undefined;
  const asc = (q.order === 'asc') !== readBackwards;
  const direction = asc ? 'asc' : 'desc';
  const tiebreak = q.ascendingTiebreak && q.order === 'desc' ? (readBackwards ? 'desc' : 'asc') : direction;
  const query = db
    .selectFrom('caseiq_attachment')
    .selectAll()
    .where('workspace', '=', workspace)
    .where((eb) => {
      const clauses = filterConditions(eb, q.filters);
      if (q.after) clauses.push(beyond(eb, column, q.after, forward, Boolean(q.inclusiveCursors)));
      if (q.before) clauses.push(beyond(eb, column, q.before, backward, Boolean(q.inclusiveCursors)));
      return eb.and(clauses);
    })
    .orderBy(column, direction)
    .orderBy('id', tiebreak)
    .limit(q.limit);
  return { query, readBackwards };
}
