import type { Request, Response } from 'express';
import { onlyofficeErrors } from './errors.ts';

/**
 * ASC.Api's generic query parameters, which every call reads (module/ASC.Api/ASC.Api/Impl/ApiContext.cs)
 * and which page, sort and filter any collection an API method returns
 * (Impl/ApiSmartListResponceFilter.cs, Collections/CompiledSmartList.cs, SmartList.cs).
 */
export interface ApiContext {
  /** `count`, capped at ItemsPerPage (1000 on a portal: web.autofac.config `maxPage`); the default. */
  specifiedCount: number;
  startIndex: number;
  sortBy?: string[];
  sortDescending: boolean;
  filterBy?: string;
  filterOp: 'contains' | 'equals' | 'startswith' | 'endswith' | 'present';
  filterValues?: string[];
  type?: string;
  updatedSince?: Date;
  fields?: string[];
}

export const itemsPerPage = 1000;

/** ApiContext.GetRequestArray: `key[]` values, else `key` values, a single one split on commas. */
function requestArray(query: Record<string, unknown>, key: string): string[] | undefined {
  const bracketed = query[`${key}[]`];
  if (bracketed !== undefined) return ([] as unknown[]).concat(bracketed).map(String);
  const plain = query[key];
  if (plain === undefined) return undefined;
  const values = ([] as unknown[]).concat(plain).map(String);
  return values.length === 1 && values[0] !== '' ? values[0].split(',') : values;
}

function requestValue(query: Record<string, unknown>, key: string): string | undefined {
  return requestArray(query, key)?.[0];
}

/** The constructor of ApiContext: values that do not parse are ignored, as `TryParse` ignores them. */
export function readApiContext(req: Request): ApiContext {
  const query = req.query as Record<string, unknown>;
  const count = requestValue(query, 'count');
  const start = requestValue(query, 'startIndex');
  const op = (requestValue(query, 'filterOp') ?? '').toLowerCase();
  const updatedSince = requestValue(query, 'updatedSince');
  let since: Date | undefined;
  if (updatedSince !== undefined) {
    since = new Date(updatedSince);
    // Convert.ToDateTime throws, an unhandled 500 on ONLYOFFICE; bad input is a 400 here.
    if (Number.isNaN(since.getTime())) throw onlyofficeErrors.invalidArgument('String was not recognized as a valid DateTime.');
  }
  const sortBy = requestValue(query, 'sortBy');
  return {
    specifiedCount: count !== undefined && /^\+?\d+$/.test(count) ? Math.min(itemsPerPage, Number(count)) : itemsPerPage,
    startIndex: start !== undefined && /^\s*[-+]?\d+\s*$/.test(start) ? Math.max(0, Number(start)) : 0,
    sortBy: sortBy ? sortBy.split(',').map((f) => f.toLowerCase()) : undefined,
    // Exactly "descending", case and all.
    sortDescending: requestValue(query, 'sortOrder') === 'descending',
    filterBy: requestValue(query, 'filterBy') || undefined,
    // Enum.Parse(ignoreCase); anything else falls back to Equals.
    filterOp: (['contains', 'equals', 'startswith', 'endswith', 'present'].includes(op) ? op : 'equals') as ApiContext['filterOp'],
    filterValues: requestArray(query, 'filterValue'),
    type: requestValue(query, 'type') || undefined,
    updatedSince: since,
    fields: requestArray(query, 'fields'),
  };
}

/** A property by a case-insensitive, dotted name (SmartList.GetPropertyInfo). */
function propertyOf(item: unknown, path: string): unknown {
  let value: unknown = item;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    const key = Object.keys(value).find((k) => k.toLowerCase() === part.toLowerCase());
    if (key === undefined) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const collator = new Intl.Collator('en');

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

function satisfies(value: unknown, op: ApiContext['filterOp'], filterValues: string[]): boolean {
  if (value === undefined || value === null) return false;
  const text = String(value);
  const lower = text.toLowerCase();
  return filterValues.some((filter) => {
    const f = filter.toLowerCase();
    switch (op) {
      case 'contains':
        return lower.includes(f);
      case 'startswith':
        return lower.startsWith(f);
      case 'endswith':
        return lower.endsWith(f);
      case 'present':
        return text.includes(filter); // the one case-sensitive operation
      default:
        return lower === f;
    }
  });
}

/** What a list answer carries besides the items: the envelope's paging members. */
export interface ListPage<T> {
  items: T[];
  startIndex: number;
  nextIndex?: number;
  total?: number;
}

/**
 * CompiledSmartList.Transform and ApiHttpHandlerBase.PostProcessResponse, in their order: filter
 * (`filterBy`/`filterOp`/`filterValue`, only when every value is non-empty and the property
 * exists), `updatedSince`, `type` (the items' DataContract name), sort (`sortBy`, `sortOrder`), then
 * skip `startIndex` and take `count`. `total` (the matches before paging) is only computed when
 * the collection is longer than `count`; `nextIndex` only when the page is full and more follow,
 * and ONLYOFFICE computes it as `startIndex + count + 1` (one past the next item).
 */
export function pageList<T>(all: T[], context: ApiContext, dataContractName: string): ListPage<T> {
  let items = all.filter((item) => item !== null && item !== undefined);
  const { filterBy, filterValues } = context;
  if (filterBy && filterValues && filterValues.every((v) => v !== '') && all.some((item) => propertyOf(item, filterBy) !== undefined)) {
    items = items.filter((item) => satisfies(propertyOf(item, filterBy), context.filterOp, filterValues));
  }
  if (context.updatedSince) {
    const since = context.updatedSince.getTime();
    items = items.filter((item) => {
      const stamp = propertyOf(item, 'updated') ?? propertyOf(item, 'created');
      return typeof stamp === 'string' && new Date(stamp).getTime() > since;
    });
  }
  if (context.type) items = context.type === dataContractName ? items : [];
  if (context.sortBy?.length) {
    const fields = context.sortBy;
    const direction = context.sortDescending ? -1 : 1;
    // Array.prototype.sort is stable, as LINQ's OrderBy is.
    items = [...items].sort((a, b) => {
      for (const field of fields) {
        const order = compare(propertyOf(a, field), propertyOf(b, field));
        if (order !== 0) return direction * order;
      }
      return 0;
    });
  }
  const total = context.specifiedCount < all.length ? items.length : undefined;
  const page = items.slice(context.startIndex, context.startIndex + context.specifiedCount);
  const more = page.length === context.specifiedCount && all.length - context.startIndex > context.specifiedCount;
  return { items: page, startIndex: context.startIndex, nextIndex: more ? context.startIndex + context.specifiedCount + 1 : undefined, total };
}

/** `fields=a,b`: each item keeps only those members, matched case-insensitively. */
export function selectFields<T>(items: T[], fields: string[] | undefined): Array<T | Record<string, unknown>> {
  if (!fields?.length) return items;
  const wanted = new Set(fields.map((f) => f.trim().toLowerCase()).filter((f) => f !== ''));
  if (wanted.size === 0) return items;
  return items.map((item) =>
    item && typeof item === 'object' ? Object.fromEntries(Object.entries(item).filter(([key]) => wanted.has(key.toLowerCase()))) : item,
  );
}

/** Reads the context, pages the collection and answers it in the envelope, paging members included. */
export function sendList<T>(req: Request, res: Response, all: T[], dataContractName: string, send: (page: ListPage<unknown>) => void): void {
  const context = readApiContext(req);
  const page = pageList(all, context, dataContractName);
  send({ ...page, items: selectFields(page.items, context.fields) });
}
