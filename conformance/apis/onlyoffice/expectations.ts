// ONLYOFFICE's behaviour beyond the contract's per-response checks, each with where it was read:
// ONLYOFFICE/CommunityServer at commit 7c503dfb5e9f (2025-01-10), see ../shared/reference/onlyoffice.md.
import { assumed, defineExpectations, documented, sourceIn } from '../../kit/expectations.ts';

const source = sourceIn('ONLYOFFICE/CommunityServer', '7c503dfb5e9f');
const crmFiles = source('module/ASC.Api/ASC.Api.CRM/CRMApi.RelationshipEvent.cs');
const eventDao = source('web/studio/ASC.Web.Studio/Products/CRM/Core/Dao/RelationshipEventDao.cs');

export const onlyofficeExpectations = defineExpectations('onlyoffice', {
  // The envelope (Impl/ApiStandartResponce.cs, Utils/Binder.cs, Serializers/SerializerContractResolver.cs).
  camel_case_keys: {
    title: 'every key of a JSON body is camelCase, the payload included',
    evidence: source('module/ASC.Api/ASC.Api/Impl/Serializers/SerializerContractResolver.cs'),
  },
  envelope_present: { title: 'a JSON body is the {count, status, statusCode, response|error} envelope', evidence: source('module/ASC.Api/ASC.Api/Impl/ApiStandartResponce.cs') },
  envelope_status_code: { title: "the envelope's statusCode is the HTTP status", evidence: source('module/ASC.Api/ASC.Api/Impl/ApiStandartResponce.cs') },
  envelope_status: { title: "the envelope's status is 0 on success and 1 on errors", evidence: source('module/ASC.Api/ASC.Api/Enums/ApiStatus.cs') },
  envelope_count: { title: "the envelope's count is the collection length, 1 for one value, omitted for none", evidence: source('module/ASC.Api/ASC.Api/Utils/Binder.cs (GetCollectionCount)') },
  // Authentication (AuthenticationEntryPoint.cs, ASC*Authorization.cs, Utils/ErrorHttpHandler.cs).
  token_issued: {
    title: 'POST /authentication answers 201 with response.token, accepted raw, as Bearer and as the asc_auth_key cookie',
    evidence: documented('https://api.onlyoffice.com/portals/workspaceapi/auth'),
  },
  token_expires: { title: "the token's response.expires is a date", evidence: documented('https://api.onlyoffice.com/portals/workspaceapi/auth') },
  failed_login_500: {
    title: 'a wrong password gets 500 with the error envelope and no token (AuthenticationException)',
    evidence: source('module/ASC.Api/ASC.Specific/AuthorizationApi/AuthenticationEntryPoint.cs'),
  },
  unparsable_body_400: { title: 'a body that is not JSON sent as application/json is refused with 400', evidence: source('module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs') },
  unauthorized_text: { title: 'a 401 body is the plain text Unauthorized', evidence: source('module/ASC.Api/ASC.Api/Utils/ErrorHttpHandler.cs') },
  bearer_challenge: {
    title: 'a 401 to a request with an Authorization header carries WWW-Authenticate: Bearer Realm="<host>"',
    evidence: source('module/ASC.Api/ASC.Specific/ASCBearerAuthorization.cs'),
  },
  no_challenge_without_header: { title: 'a 401 to a request without Authorization has no WWW-Authenticate', evidence: source('module/ASC.Api/ASC.Specific/ASCBearerAuthorization.cs') },
  // Upload, attach, list, delete (CRMApi.RelationshipEvent.cs, RelationshipEventDao.cs, FileWrapper.cs).
  upload_keeps_name: { title: 'an uploaded file is titled with the name it was sent with', evidence: crmFiles },
  upload_in_crm_root: { title: 'uploads are stored in the CRM root folder (GET crm/files/root)', evidence: crmFiles },
  upload_size: { title: "an upload's pureContentLength is its byte length", evidence: source('module/ASC.Api/ASC.Api.Documents/FileWrapper.cs') },
  upload_does_not_attach: { title: 'uploading does not attach: the file is not listed on the record before attachCrmFiles', evidence: crmFiles },
  upload_without_file_refused: { title: 'an upload without a file is refused and stores nothing (ONLYOFFICE: 500)', evidence: crmFiles },
  attach_returns_event: { title: 'attachCrmFiles answers 201 with the new history event (response.id)', evidence: crmFiles },
  attach_event_category: { title: "the event's category is -2 (Files are uploaded)", evidence: source('web/studio/ASC.Web.Studio/Products/CRM/Core/Enums/ListTypeEnum.cs') },
  attach_event_entity: {
    title: "the event names the record: contact.id for a contact, entity {entityType, entityId} for a deal or case",
    evidence: source('module/ASC.Api/ASC.Api.CRM/Wrappers/RelationshipEventWrapper.cs'),
  },
  attach_event_files: { title: 'the event carries exactly the attached files, each once', evidence: eventDao },
  attach_lists_files: { title: 'an attached file is listed on the record, once', evidence: crmFiles },
  attach_skips_unknown_ids: { title: 'ids in fileids that name no file are skipped, not refused (201)', evidence: eventDao },
  attach_without_fileids: { title: 'attachCrmFiles without fileids is 201 with an event carrying no files (fileids binds as [])', evidence: source('module/ASC.Api/ASC.Api/Utils/Binder.cs') },
  attach_bad_fileid_400: { title: 'a fileids item that does not convert to Int32 is refused with 400', evidence: source('module/ASC.Api/ASC.Api/Utils/Binder.cs') },
  attach_non_integer_fileid_400: {
    title: 'a fileids item that is a boolean or a fraction is refused with 400',
    evidence: assumed('Json.NET may convert true and 1.5 to the Int32 1 and 2 instead of failing; not settled from the source'),
  },
  attach_unknown_entity_404: { title: 'attaching to a record that does not exist is 404 (GetEntityTitle)', evidence: crmFiles },
  route_constraints_404: { title: 'an entity type other than contact|opportunity|case, or a non-numeric id, matches no route: 404', evidence: crmFiles },
  path_id_refused: {
    title: 'an entityid or fileid out of range is refused: -1 matches no route (404), 2147483648 overflows Int32 (400), 0 is an ArgumentException (400)',
    evidence: source('module/ASC.Api/ASC.Api/Utils/Binder.cs'),
  },
  bad_primitive_400: { title: 'a form value that does not convert (storeOriginalFileFlag=!!!) is refused with 400 Invalid arguments', evidence: source('module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs') },
  file_handler_action_400: {
    title: 'the file handler without a known action is refused with 400',
    evidence: source('web/studio/ASC.Web.Studio/Products/Files/HttpHandlers/FileHandler.ashx.cs'),
  },
  entity_id_zero_400: { title: 'entityid 0 is refused with 400 (ArgumentException)', evidence: crmFiles },
  unknown_entity_lists_nothing: { title: 'listing a record that does not exist is 200 with [] (no existence check)', evidence: crmFiles },
  view_url_downloads: {
    title: "a file's viewUrl is the file handler's download URL for it",
    evidence: source('module/ASC.Api/ASC.Api.Documents/FileWrapper.cs (ViewUrl = file.DownloadUrl)'),
  },
  delete_returns_file: { title: 'deleteCrmFile answers 200 with the deleted file', evidence: crmFiles },
  delete_unlinks_file: { title: 'a deleted file is no longer listed on the record, nor downloadable (404)', evidence: crmFiles },
  delete_keeps_others: { title: 'deleting one file leaves the record\'s other files listed', evidence: crmFiles },
  root_folder_id: { title: 'GET crm/files/root answers the CRM root folder id, an integer', evidence: crmFiles },
});
