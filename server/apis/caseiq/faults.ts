import type { Fault } from '../../kit/server-api.ts';
import type { ListQuery } from './keyset.ts';

/**
 * Deliberate contract violations for mutation testing (`attachkit serve --fault caseiq.<id>`).
 * Each is a bug a real implementation could plausibly ship, and each must make the conformance
 * suite exit 1.
 */
export const faults: Fault[] = [
  { id: 'count-is-total', description: 'listAttachments reports the number of matching records as count, not the page size' },
  { id: 'ignores-after', description: 'listAttachments ignores the after cursor' },
  { id: 'ignores-before', description: 'listAttachments ignores the before cursor' },
  { id: 'boundary-repeated', description: "cursors compare inclusively, so the cursor's own record is listed again" },
  { id: 'ignores-order', description: 'order=desc is ignored: pages are always ascending' },
  { id: 'desc-tiebreak-ascending', description: 'in desc order ties are broken by ascending id while cursors assume descending' },
  { id: 'ignores-fields', description: 'the fields projection is ignored: every field is returned' },
  { id: 'ignores-filters', description: 'listAttachments ignores the field filters' },
  { id: 'bad-cursor-500', description: 'a createdDate cursor that is not a date crashes the listing (500) instead of a 400' },
  { id: 'single-tag-dropped', description: 'a bulkTags[] part sent once is lost (read as a string, not a one-item list)' },
  { id: 'size-counts-crlf', description: "sizeBytes counts the multipart part's trailing CRLF (2 bytes too many)" },
  { id: 'file-after-field-accepted', description: 'parts after the file are accepted instead of refused with 400' },
  { id: 'unknown-case-accepted', description: 'saveFile attaches files to a case that does not exist instead of answering 404' },
  { id: 'expired-token-accepted', description: 'tokens past their ttl are still accepted' },
  { id: 'wrong-grant-400', description: 'a wrong grant_type is answered 400 (the RFC) instead of Case IQ’s 501' },
  { id: 'token-validation-in-api-dialect', description: "the token endpoint's validation errors come in the API's error shape, not OAuth2's" },
  { id: 'truncated-download', description: 'downloads stop after half the bytes (Content-Length agrees with the short body)' },
  { id: 'download-without-disposition', description: 'downloads omit Content-Disposition' },
];

/** The listing as a server with the listing faults would read it. */
export function listingWithFaults(query: ListQuery, active: ReadonlySet<string>): ListQuery {
  return {
    ...query,
    order: active.has('ignores-order') ? 'asc' : query.order,
    after: active.has('ignores-after') ? undefined : query.after,
    before: active.has('ignores-before') ? undefined : query.before,
    filters: active.has('ignores-filters') ? {} : query.filters,
    inclusiveCursors: active.has('boundary-repeated'),
    ascendingTiebreak: active.has('desc-tiebreak-ascending'),
  };
}
