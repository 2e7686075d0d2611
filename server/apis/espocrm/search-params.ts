import type { Request } from 'express';
import { espoErrors } from './errors.ts';
import { entityDefs, knownAttributes } from './metadata.ts';

/** SearchParamsFetcher::MAX_SIZE_LIMIT (config `recordListMaxSizeLimit`): the page size cap and default. */
export const maxSizeLimit = 200;

export interface WhereItem {
  type?: unknown;
  attribute?: unknown;
  value?: unknown;
}

export interface SearchParams {
  maxSize: number;
  offset: number;
  orderBy?: string;
  order?: 'ASC' | 'DESC';
  select?: string[];
  where: WhereItem[];
}

/**
 * A list request's parameters, read as Core/Record/SearchParamsFetcher.php reads them: either one
 * JSON `searchParams` (what EspoCRM's JS client sends for a GET with data) or separate `maxSize`,
 * `offset`, `orderBy`, `order`, `select` (comma-separated) and `where[…]` parameters.
 */
export function readSearchParams(req: Request): SearchParams {
  const query = req.query as Record<string, unknown>;
  let raw: Record<string, unknown>;
  if (query.searchParams !== undefined) {
    try {
      raw = JSON.parse(String(query.searchParams)) as Record<string, unknown>;
    } catch {
      throw espoErrors.badRequest('Invalid search params JSON.');
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw espoErrors.badRequest('Invalid search params JSON.');
  } else {
    raw = {
      where: query.where,
      maxSize: query.maxSize === '' || query.maxSize === undefined ? undefined : Math.trunc(Number(query.maxSize)) || 0,
      offset: query.offset === '' || query.offset === undefined ? undefined : Math.trunc(Number(query.offset)) || 0,
      orderBy: query.orderBy || undefined,
      order: query.order || undefined,
      select: typeof query.select === 'string' && query.select !== '' ? query.select.split(',') : undefined,
    };
  }
  // SearchParams::fromRaw
  const { maxSize = maxSizeLimit, offset = 0, orderBy, order, select, where } = raw;
  if (typeof maxSize !== 'number' || !Number.isInteger(maxSize)) throw espoErrors.badRequest('maxSize must be integer.');
  if (typeof offset !== 'number' || !Number.isInteger(offset)) throw espoErrors.badRequest('offset should be int.');
  if (orderBy !== undefined && orderBy !== null && typeof orderBy !== 'string') throw espoErrors.badRequest('orderBy should be string.');
  if (order !== undefined && order !== null && typeof order !== 'string') throw espoErrors.badRequest('order should be string.');
  const upper = typeof order === 'string' ? order.toUpperCase() : undefined;
  if (upper !== undefined && upper !== 'ASC' && upper !== 'DESC') throw espoErrors.badRequest('order value is bad.');
  if (select !== undefined && select !== null && (!Array.isArray(select) || select.some((s) => typeof s !== 'string'))) throw espoErrors.badRequest('select should be array.');
  const whereList = where === undefined || where === null ? [] : typeof where === 'object' ? Object.values(where as object) : undefined;
  if (!whereList) throw espoErrors.badRequest('where should be array.');
  // SearchParamsFetcher::handleMaxSize
  if (maxSize > maxSizeLimit) throw espoErrors.forbidden(`Max size should not exceed ${maxSizeLimit}. Use offset and limit.`);
  return {
    maxSize,
    offset: Math.max(0, offset),
    orderBy: typeof orderBy === 'string' && orderBy !== '' ? orderBy : undefined,
    order: upper as SearchParams['order'],
    select: (select as string[] | undefined)?.map((s) => s.trim()).filter((s) => s !== ''),
    where: whereList as WhereItem[],
  };
}

/**
 * `{total, list}` for one page of the records the user may read (RecordBase::getActionList):
 * `records` oldest first, filtered by `where`, ordered by `orderBy` (default: the entity's
 * collection order) with creation order breaking ties, paged by `offset`/`maxSize`, projected by `select` (`id` always stays).
 */
export function searchList(
  entityType: string,
  records: Array<Record<string, unknown>>,
  params: SearchParams,
  collection: { orderBy: string; order: 'ASC' | 'DESC' },
): { total: number; list: Array<Record<string, unknown>> } {
  const known = knownAttributes(entityType);
  for (const item of params.where) checkWhereItem(item, known);
  const orderBy = params.orderBy ?? collection.orderBy;
  if (!entityDefs[entityType].fields[orderBy] && orderBy !== 'id') throw espoErrors.badRequest(`Order by non-existing field '${orderBy}'.`);
  const created = new Map(records.map((record, index) => [record, index]));
  const matching = records.filter((record) => params.where.every((item) => matches(record, item)));
  const direction = (params.order ?? (params.orderBy ? 'ASC' : collection.order)) === 'DESC' ? -1 : 1;
  // Ties keep creation order (in the same direction), so a walk by offset is stable.
  matching.sort((a, b) => direction * (compare(a[orderBy], b[orderBy]) || created.get(a)! - created.get(b)!));
  const page = matching.slice(params.offset, params.offset + params.maxSize);
  const list = params.select ? page.map((record) => project(record, params.select!)) : page;
  return { total: matching.length, list };
}

function project(record: Record<string, unknown>, select: string[]): Record<string, unknown> {
  return Object.fromEntries(['id', ...select].filter((key) => key in record).map((key) => [key, record[key]]));
}

/** MySQL's order: NULL first, numbers numerically, text by code point (the reference server has no collation). */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if ((typeof a === 'number' || typeof b === 'number') && Number.isFinite(Number(a)) && Number.isFinite(Number(b))) return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const simpleTypes = new Set([
  'equals', 'notEquals', 'in', 'notIn', 'isNull', 'isNotNull', 'isTrue', 'isFalse', 'contains', 'notContains',
  'startsWith', 'endsWith', 'like', 'notLike', 'greaterThan', 'lessThan', 'greaterThanOrEquals', 'lessThanOrEquals',
]);

/**
 * Where items are checked before any record is read (Core/Select/Where/Checker.php,
 * ItemGeneralConverter.php): the simple types and the `and`/`or` groups. Others, such as the date
 * filters, are refused as EspoCRM refuses a type it does not know.
 */
function checkWhereItem(item: WhereItem, known: Set<string>): void {
  if (!item || typeof item !== 'object') throw espoErrors.badRequest('Bad where item.');
  const type = item.type;
  if (typeof type !== 'string' || type === '') throw espoErrors.badRequest("Bad where item. No 'type'.");
  if (type === 'and' || type === 'or') {
    for (const inner of groupItems(item)) checkWhereItem(inner, known);
    return;
  }
  if (!simpleTypes.has(type)) throw espoErrors.badRequest(`Unknown where item type '${type}'.`);
  if (typeof item.attribute !== 'string' || item.attribute === '') throw espoErrors.badRequest("Bad where item. No 'attribute'.");
  if (!known.has(item.attribute)) throw espoErrors.badRequest(`Not existing attribute '${item.attribute}' in where.`);
}

function groupItems(item: WhereItem): WhereItem[] {
  return item.value && typeof item.value === 'object' ? (Object.values(item.value as object) as WhereItem[]) : [];
}

function matches(record: Record<string, unknown>, item: WhereItem): boolean {
  const type = item.type as string;
  if (type === 'and') return groupItems(item).every((inner) => matches(record, inner));
  if (type === 'or') return groupItems(item).some((inner) => matches(record, inner));
  const actual = record[item.attribute as string];
  const value = item.value;
  const text = actual === null || actual === undefined ? undefined : String(actual);
  const list = Array.isArray(value) ? value.map(String) : value && typeof value === 'object' ? Object.values(value).map(String) : [String(value)];
  const like = (pattern: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
  switch (type) {
    case 'equals':
      return text !== undefined && text === String(value);
    case 'notEquals':
      return text !== undefined && text !== String(value);
    case 'in':
      return text !== undefined && list.includes(text);
    case 'notIn':
      return text !== undefined && !list.includes(text);
    case 'isNull':
      return actual === null || actual === undefined || (Array.isArray(actual) && actual.length === 0);
    case 'isNotNull':
      return !(actual === null || actual === undefined || (Array.isArray(actual) && actual.length === 0));
    case 'isTrue':
      return actual === true;
    case 'isFalse':
      return actual === false || actual === null || actual === undefined;
    case 'contains':
      return text !== undefined && text.toLowerCase().includes(String(value).toLowerCase());
    case 'notContains':
      return text !== undefined && !text.toLowerCase().includes(String(value).toLowerCase());
    case 'startsWith':
      return text !== undefined && text.toLowerCase().startsWith(String(value).toLowerCase());
    case 'endsWith':
      return text !== undefined && text.toLowerCase().endsWith(String(value).toLowerCase());
    case 'like':
      return text !== undefined && like(String(value)).test(text);
    case 'notLike':
      return text !== undefined && !like(String(value)).test(text);
    case 'greaterThan':
      return text !== undefined && compare(actual, value) > 0;
    case 'lessThan':
      return text !== undefined && compare(actual, value) < 0;
    case 'greaterThanOrEquals':
      return text !== undefined && compare(actual, value) >= 0;
    case 'lessThanOrEquals':
      return text !== undefined && compare(actual, value) <= 0;
    default:
      return false;
  }
}
