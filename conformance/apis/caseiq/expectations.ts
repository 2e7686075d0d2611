// Case IQ's behaviour beyond the contract's per-response checks. Case IQ publishes no source; its
// only documentation is the knowledge-base pages quoted in ../shared/reference/caseiq.md (the
// Attachment APIs page is ../shared/seeds/case-attachments-api.txt). Everything those pages do
// not say is an assumption: the reference server does it, a real site may not, and a miss is an
// observation, never a failure (unless --strict).
import { assumed, defineExpectations, documented } from '../../kit/expectations.ts';

const attachments = documented('https://help.caseiq.com/api-documentation/attachment-apis');
const auth = documented('https://help.caseiq.com/en_US/api-documentation/auth-api');
const errors = documented('https://help.caseiq.com/en_US/api-documentation/api-error-handling');
const undocumentedToken = "Case IQ documents the token request and its errors, not the success body; this is OAuth2's (RFC 6749 §5.1)";
const tieSafeCursors = "Case IQ documents before/after a field value with sort; the tie-safe '<value>|<id>' cursor and ties ordered by id are attachkit's contract, not Case IQ's";

export const caseiqExpectations = defineExpectations('caseiq', {
  // save_file and the record it returns (documented fields: id, name, nameWithoutExtension, encoding, mimeType, objectId, sizeBytes).
  record_names_file: { title: "the record's name is the uploaded file's name, nameWithoutExtension its stem", evidence: attachments },
  record_size: { title: "the record's sizeBytes is the uploaded file's byte length", evidence: attachments },
  record_case: { title: "the record's objectId is the caseId it was uploaded to", evidence: attachments },
  record_media_type: {
    title: "the record's mimeType is the media type the file part was sent with",
    evidence: assumed('the docs list mimeType but not whether it is the sent type or one Case IQ detects'),
  },
  record_description: { title: 'the record echoes the description sent', evidence: assumed('the docs list description as a form field, not as a record field') },
  record_template_locale: {
    title: 'the record echoes templateLocale (en_US when none was sent)',
    evidence: assumed('the docs say templateLocale defaults to en_US, not that the record returns it'),
  },
  tags_match_upload: { title: 'the record lists the tag ids sent as bulkTags[] parts', evidence: assumed('the docs do not say the record returns its tags, nor in which shape') },
  upload_refusals: { title: 'save_file without a file or a caseId, or with a caseId that is not a UUID, is refused with 400', evidence: attachments },
  file_last_enforced: {
    title: 'save_file with a part after the file is refused with 400',
    evidence: assumed('the docs say the file must be the last part, not what Case IQ does when it is not'),
  },
  unknown_case_404: { title: 'save_file to a case that does not exist is 404 (Case not found)', evidence: errors },
  // Reading and downloading.
  unknown_attachment_404: { title: 'getAttachment and downloadAttachment of an unknown id answer 404', evidence: errors },
  malformed_id_400: { title: 'getAttachment and downloadAttachment of an id that is not a UUID answer 400', evidence: assumed('Case IQ may as well answer 404 for an id that names nothing') },
  download_typed: { title: "a download's Content-Type is the record's mimeType", evidence: assumed('the docs say the raw file is returned, not with which headers') },
  download_names_file: { title: "a download's Content-Disposition carries the record's name", evidence: assumed('the docs say the raw file is returned, not with which headers') },
  download_matches_size: { title: "a download's length is the record's sizeBytes", evidence: attachments },
  // Listing: count, projection, filters, paging.
  count_is_page_size: { title: "a page's count is the number of records in it, not a total", evidence: attachments },
  fields_projection: { title: 'fields=name,sizeBytes returns only the named fields, with the stored values, and drops no record', evidence: attachments },
  fields_keep_id: { title: 'a fields projection always keeps id', evidence: assumed('the docs say fields limits the returned fields, not that id stays') },
  fields_lenient_names: {
    title: 'fields ignores spaces, empty items and unknown names',
    evidence: assumed('the docs say fields limits the returned fields, not how it reads an odd list'),
  },
  filter_documented_fields: { title: 'filters on kind and fileFormat list exactly the matching records', evidence: attachments },
  filter_other_fields: {
    title: 'filters on other string fields (mimeType, name, nameWithoutExtension, encoding, templateLocale, objectId), AND-combined, list exactly the matches',
    evidence: assumed('the docs name kind and fileFormat ("such as … etc."); which other fields filter, and how several combine, is not documented'),
  },
  filter_exact_match: { title: 'filters compare whole values, case-sensitively', evidence: assumed('the docs do not say how a filter value is compared') },
  list_refusals: {
    title: 'bad limit, sort, order, cursors and repeated filters are refused with 400',
    evidence: assumed('the docs give no bounds or refusals for list parameters (e.g. that limit over 100 is refused)'),
  },
  plain_cursor_excludes_value: { title: 'after=<createdDate> (before=) leaves out the records holding that value and those before (after) it', evidence: attachments },
  plain_cursor_keeps_rest: { title: 'after=<createdDate> (before=) lists every record past (before) that value', evidence: attachments },
  sort_order: { title: 'order=asc|desc lists records by the sort value in that direction', evidence: attachments },
  tie_safe_cursor: { title: "a '<value>|<id>' cursor is accepted (200)", evidence: assumed(tieSafeCursors) },
  paging_terminates: { title: 'a walk of every page ends with a short page', evidence: assumed(tieSafeCursors) },
  paging_no_repeats: { title: 'a walk with tie-safe cursors lists no record twice', evidence: assumed(tieSafeCursors) },
  paging_sees_every_record: { title: 'a walk with tie-safe cursors lists every record', evidence: assumed(tieSafeCursors) },
  paging_order: { title: 'a walk lists records in (sort value, id) order', evidence: assumed(tieSafeCursors) },
  paging_consistent: { title: "every walk lists the run's uploads in one order (desc is asc reversed)", evidence: assumed(tieSafeCursors) },
  window_between_cursors: { title: 'before and after together list the records strictly between the two cursors', evidence: assumed(tieSafeCursors) },
  window_excludes_cursors: { title: 'a window between two cursors leaves out the cursor records', evidence: assumed(tieSafeCursors) },
  empty_window: { title: 'after the last and before the first record is an empty page', evidence: assumed(tieSafeCursors) },
  // The token endpoint (auth-api).
  oauth_error_code: { title: 'a refused token request names its OAuth2 error code (invalid_client, unsupported_grant_type, invalid_request, invalid_scope)', evidence: auth },
  token_refusals: {
    title: 'a token request with a wrong grant_type (501), bad credentials (401), a bad ttl or a scope (400) is refused with its OAuth2 error code',
    evidence: auth,
  },
  token_granted: { title: 'a token request with the client credentials answers 200 with an access_token that opens the API', evidence: assumed(undocumentedToken) },
  token_type_bearer: { title: 'token_type is Bearer', evidence: assumed(`${undocumentedToken}; Bearer use is unconfirmed`) },
  token_lifetime: { title: 'expires_in is the ttl asked for, 600 by default', evidence: assumed(`${undocumentedToken}; the docs give the ttl default, not expires_in`) },
  token_expires: { title: 'a token past its ttl is refused with 401', evidence: auth },
  // Errors (api-error-handling).
  error_dialect: { title: 'an error body is {name, httpstatus, meta, message} with httpstatus the status and message its code', evidence: errors },
});
