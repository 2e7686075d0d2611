// EspoCRM's behaviour beyond the contract's per-response checks, each with where it was read:
// espocrm/espocrm at tag 10.0.0 (commit 2cde9d98), see ../shared/reference/espocrm.md.
import { defineExpectations, documented, sourceIn } from '../../kit/expectations.ts';

const source = sourceIn('espocrm/espocrm', '10.0.0 (2cde9d98)');

export const espocrmExpectations = defineExpectations('espocrm', {
  // Whole and chunked uploads (Repositories/Attachment.php, Tools/Attachment/UploadService.php).
  real_size_recorded: {
    title: "an attachment's size is the bytes received, whatever size the upload declared",
    evidence: source('application/Espo/Repositories/Attachment.php (setSize(strlen($contents)))'),
  },
  chunked_upload_pending: {
    title: 'a chunked upload starts with isBeingUploaded: true',
    evidence: source('application/Espo/Tools/Attachment/UploadService.php'),
  },
  chunk_acknowledged: { title: 'POST Attachment/chunk/{id} answers true', evidence: source('application/Espo/Tools/Attachment/Api/PostChunk.php') },
  chunked_upload_completes: {
    title: 'once the chunks reach the declared size, isBeingUploaded is false',
    evidence: source('application/Espo/Tools/Attachment/UploadService.php'),
  },
  chunk_overflow_refused: {
    title: 'a chunk past the declared size is refused (EspoCRM: 500 File size mismatch.)',
    evidence: source('application/Espo/Tools/Attachment/UploadService.php'),
  },
  // Errors (Core/Api/ErrorOutput.php, Core/Record/Access/LinkCheck.php, Core/Record/Service.php).
  error_reason_sent: { title: 'an error response carries X-Status-Reason', evidence: source('application/Espo/Core/Api/ErrorOutput.php') },
  link_error_label: {
    title: 'a refused link names why in messageTranslation.label (cannotRelateNonExisting, cannotRelateForbidden)',
    evidence: source('application/Espo/Core/Record/Access/LinkCheck.php'),
  },
  conflict_reason: {
    title: "a PUT with a stale X-Version-Number gets 409 with X-Status-Reason 'modified'",
    evidence: source('application/Espo/Core/Record/Service.php (processConcurrencyControl)'),
  },
  // File field: Document.fileId (Orm/FieldConverters/File.php, FieldProcessing/File/Saver.php).
  document_links_file: { title: 'a Document read back has the fileId it was saved with', evidence: source('application/Espo/Core/Utils/Database/Orm/FieldConverters/File.php') },
  document_names_file: {
    title: "a Document's fileName is its attachment's name",
    evidence: source('application/Espo/Core/Utils/Database/Orm/FieldConverters/File.php'),
  },
  replaced_file_deleted: {
    title: "replacing a Document's fileId deletes the previous attachment at that save",
    evidence: source('application/Espo/Core/FieldProcessing/File/Saver.php'),
  },
  // Attachment-Multiple: Note.attachmentsIds (LinkConverters/Attachments.php, Entities/Note.php).
  note_links_attachments: { title: "a Note read back lists its attachments' ids in attachmentsIds", evidence: source('application/Espo/Entities/Note.php (loadAdditionalFields)') },
  note_names_attachments: {
    title: 'attachmentsNames maps each attachment id to its name',
    evidence: source('application/Espo/Core/Utils/Database/Orm/LinkConverters/Attachments.php'),
  },
  note_types_attachments: {
    title: 'attachmentsTypes maps each attachment id to its media type',
    evidence: source('application/Espo/Core/Utils/Database/Orm/LinkConverters/Attachments.php'),
  },
  note_put_replaces_list: {
    title: 'PUT with attachmentsIds replaces the whole list (omitted ids are unlinked)',
    evidence: documented('https://docs.espocrm.com/development/api/attachment/'),
  },
  note_put_unlinks_omitted: {
    title: 'an attachment left out of a PUT no longer has the Note as its parent',
    evidence: documented('https://docs.espocrm.com/development/api/attachment/'),
  },
  // Refusals, each the vendor's own (CreateInputFilter, AccessChecker, Checker, BeforeCreate, LinkCheck, field validation).
  upload_input_refused: {
    title: 'POST Attachment without file contents, field, parent/related type or name is refused with 400',
    evidence: source('application/Espo/Classes/Record/Attachment/CreateInputFilter.php'),
  },
  upload_access_refused: {
    title: 'POST Attachment with an internal role, an unknown field or a field that cannot hold files is refused with 403',
    evidence: source('application/Espo/Tools/Attachment/AccessChecker.php'),
  },
  upload_type_refused: {
    title: "a file type the field's accept list does not allow is refused with 403",
    evidence: source('application/Espo/Tools/Attachment/Checker.php'),
  },
  upload_size_refused: {
    title: 'a declared size over attachmentUploadMaxSize is refused with 403',
    evidence: source('application/Espo/Classes/RecordHooks/Attachment/BeforeCreate.php'),
  },
  chunk_refused: {
    title: 'a chunk for an unknown id (404), for an upload not being uploaded (403), or without ;base64, (400) is refused',
    evidence: source('application/Espo/Tools/Attachment/UploadService.php'),
  },
  link_to_missing_refused: {
    title: 'a link to an attachment that does not exist is refused with 403',
    evidence: source('application/Espo/Core/Record/Access/LinkCheck.php'),
  },
  field_validation_refused: {
    title: "a value its field's validation refuses (required, maxLength, pattern, min, enum options, the id pattern) gets 400 validationFailure",
    evidence: source('application/Espo/Resources/metadata/fields/{varchar,int,enum,link,linkMultiple}.json (validationList)'),
  },
  unsupported_body_refused: {
    title: 'POST Attachment or Document with a body EspoCRM does not read (another media type) is refused: it is read as {}',
    evidence: source('application/Espo/Core/Api/RequestWrapper.php'),
  },
  unknown_record_404: { title: 'reading, changing or deleting a record that does not exist answers 404', evidence: source('application/Espo/Core/Record/Service.php') },
  stale_version_refused: {
    title: 'a PUT with a stale X-Version-Number is refused with 409',
    evidence: source('application/Espo/Core/Record/Service.php (processConcurrencyControl)'),
  },
  other_user_refused: {
    title: "a non-admin API user cannot read, link, change or delete another user's attachments and records (403)",
    evidence: source('application/Espo/Classes/Acl/Attachment/AccessChecker.php'),
  },
  // Routes EspoCRM's own clients use (Resources/routes.json, Core/Record/SearchParamsFetcher.php).
  patch_updates: { title: 'PATCH updates a record like PUT', evidence: source('application/Espo/Resources/routes.json') },
  list_total: { title: 'a list answers {total, list} with total the number of matching records', evidence: source('application/Espo/Core/Record/SearchParamsFetcher.php') },
  list_pages: { title: 'maxSize, offset, orderBy and order page and order a list', evidence: source('application/Espo/Core/Record/SearchParamsFetcher.php') },
  list_select: { title: 'select limits the attributes of listed records (id always kept)', evidence: source('application/Espo/Core/Record/SearchParamsFetcher.php') },
  list_params_refused: {
    title: 'a list with maxSize over 200 (403) or an order other than asc/desc (400) is refused',
    evidence: source('application/Espo/Core/Record/SearchParamsFetcher.php'),
  },
  attachment_list_admin_only: { title: 'GET Attachment (the list) is refused with 403 to a non-admin', evidence: source('application/Espo/Controllers/Attachment.php') },
  delete_keeps_attachments: {
    title: "deleting a Document keeps its attachment until the weekly Cleanup job",
    evidence: source('application/Espo/Classes/Jobs/Cleanup.php'),
  },
  hmac_accepted: {
    title: 'X-Hmac-Authorization made with the secret key is accepted; one made with another key is refused',
    evidence: source('application/Espo/Core/Authentication/Logins/Hmac.php'),
  },
});
