import { fileTypeOf, extensionOf, humanSize } from './file-types.ts';
import { filesUploadCategory, type EntityRow, type EntityType, type EventRow, type FileRow } from './repository.ts';

/** The development user every request acts as. */
export const adminUser = { id: '9b5e4c2a-3f1d-4e8b-a6c7-2d0f1e3b4a5c', displayName: 'Administrator', slug: 'administrator' };

/** `ApiDateTime.ToRoundTripString`: seven fractional digits, UTC. */
export function apiDateTime(iso: string): string {
  const date = new Date(iso);
  const millis = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${date.toISOString().slice(0, 19)}.${millis}0000Z`;
}

/** `EmployeeWraper` of the development user. */
export function employee(site: string) {
  return {
    id: adminUser.id,
    displayName: adminUser.displayName,
    avatarSmall: '/skins/default/images/default_user_photo_size_32-32.png',
    profileUrl: `${site}/Products/People/Profile.aspx?user=${adminUser.slug}`,
  };
}

/** The Documents module's `FileWrapper`; `viewUrl` is the file handler download URL. */
export function fileWrapper(row: FileRow, site: string) {
  const extension = extensionOf(row.title);
  const date = apiDateTime(row.created_at);
  return {
    folderId: row.folder_id,
    version: 1,
    versionGroup: 1,
    contentLength: humanSize(row.size),
    pureContentLength: row.size,
    fileStatus: 0,
    viewUrl: `${site}/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=${row.id}`,
    webUrl: `${site}/Products/Files/DocEditor.aspx?fileid=${row.id}`,
    fileType: fileTypeOf(row.title),
    ...(extension ? { fileExst: extension } : {}),
    comment: 'Uploaded',
    id: row.id,
    title: row.title,
    access: 0,
    shared: false,
    rootFolderType: 2,
    updatedBy: employee(site),
    created: date,
    createdBy: employee(site),
    updated: date,
  };
}

/** `ContactBaseWrapper` of the contact an event belongs to. */
function contactWrapper(id: number, entity: EntityRow | undefined) {
  const photo = (size: number) => `/Products/CRM/HttpHandlers/filehandler.ashx?action=contactphotoulr&cid=${id}&isc=False&ps=${size}`;
  return {
    id,
    smallFotoUrl: photo(1),
    mediumFotoUrl: photo(2),
    displayName: entity?.title ?? null,
    isCompany: false,
    isPrivate: false,
    isShared: false,
    shareType: 0,
    currency: null,
    canEdit: true,
    canDelete: true,
  };
}

/**
 * `RelationshipEventWrapper`: a contact's event carries `contact` and `entity: null`, an
 * opportunity's or case's carries `entity` and no `contact`.
 */
export function eventWrapper(event: EventRow, entity: EntityRow | undefined, files: FileRow[], site: string) {
  const owner: { contact: ReturnType<typeof contactWrapper>; entity: null } | { entity: { entityType: EntityType; entityId: number; entityTitle: string | null } } =
    event.entity_type === 'contact'
      ? { contact: contactWrapper(event.entity_id, entity), entity: null }
      : { entity: { entityType: event.entity_type, entityId: event.entity_id, entityTitle: entity?.title ?? null } };
  return {
    id: event.id,
    createBy: employee(site),
    created: apiDateTime(event.created_at),
    content: event.content,
    category: {
      id: filesUploadCategory.id,
      title: filesUploadCategory.title,
      imagePath: `${site}/Products/CRM/App_Themes/default/images/event_category_attach_file.png`,
    },
    ...owner,
    canEdit: true,
    files: files.map((file) => fileWrapper(file, site)),
  };
}
