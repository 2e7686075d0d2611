import type { CallOptions, CallResult, Session } from '../../kit/session.ts';
import { sha256 } from '../../kit/hash.ts';
import { verifyEnvelope } from './envelope.ts';
import { onlyofficeExpectations as expected } from './expectations.ts';

export type EntityType = 'contact' | 'opportunity' | 'case';

export interface Entity {
  type: EntityType;
  id: number;
}

export interface FileWrapper {
  id: number;
  title: string;
  folderId?: number | string;
  pureContentLength?: number;
  viewUrl?: string;
}

export interface RelationshipEvent {
  id: number;
  category?: { id?: number };
  contact?: { id?: number };
  entity?: { entityType?: string; entityId?: number } | null;
  files?: FileWrapper[];
}

export interface Uploaded {
  id: number;
  title: string;
  bytes: Buffer;
  sha256: string;
  file: FileWrapper;
}

/** An id no record has: the largest Int32, which the routes still accept. */
export const missingEntityId = 2147483647;

/** The record under test, from --entity-type / --entity-id. */
export function targetEntity(session: Session): Entity {
  const options = session.target.options;
  return { type: (options['entity-type'] as EntityType | undefined) ?? 'contact', id: Number(options['entity-id'] ?? 1) };
}

export function entityPath(entity: Entity): Record<string, string | number> {
  return { entityType: entity.type, entityid: entity.id };
}

export function describeEntity(entity: Entity): string {
  return `${entity.type} ${entity.id}`;
}

/** Bytes a text-mangling server would change: NUL, 0xFF, CR, LF and every other value. */
export function testBytes(size: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 37 + seed * 11 + (i >> 7)) & 0xff;
  return bytes;
}

/** A documented call whose JSON answer must also be a well-formed envelope. */
export async function call(session: Session, operationId: string, options: CallOptions): Promise<CallResult> {
  const result = await session.call(operationId, options);
  verifyEnvelope(session, result);
  return result;
}

/** `response` of an envelope, or undefined when the body is not one. */
export function responseOf<T>(result: CallResult): T | undefined {
  return responseOfBody<T>(result.body);
}

export function responseOfBody<T>(body: Buffer): T | undefined {
  try {
    return (JSON.parse(body.toString('utf8')) as { response?: T } | null)?.response;
  } catch {
    return undefined;
  }
}

/** Deletes a file the scenario stored when it ends; a file already gone (404) is fine. */
export function deleteLater(session: Session, id: number): void {
  session.cleanup(`deleteCrmFile ${id}`, () => session.call('deleteCrmFile', { path: { fileid: id }, step: `clean up: delete file ${id}` }));
}

/**
 * Stores a file through uploadCrmFile(.json), as multipart or as the raw body. The `.bin` name
 * keeps a real portal from converting the file on upload, which would change its bytes.
 */
export async function uploadFile(
  session: Session,
  label: string,
  bytes: Buffer,
  form: 'multipart' | 'raw' = 'multipart',
  operationId: 'uploadCrmFile' | 'uploadCrmFileJson' = 'uploadCrmFile',
): Promise<Uploaded> {
  const title = `${session.name(label)}.bin`;
  const body: CallOptions =
    form === 'multipart'
      ? { form: multipartFile(title, bytes) }
      : { bytes, contentType: 'application/octet-stream', headers: { 'Content-Disposition': `attachment; filename="${title}"` } };
  const result = await call(session, operationId, {
    path: entityPath(targetEntity(session)),
    ...body,
    expect: { status: 201 },
    step: `upload ${title} (${form === 'multipart' ? 'multipart' : 'raw body'})`,
  });
  const storedId = anyId(result);
  if (storedId !== undefined) deleteLater(session, storedId);
  const file = responseOf<FileWrapper>(result);
  if (typeof file?.id !== 'number') throw new Error(`${operationId} answered ${result.status} without response.id`);
  return { id: file.id, title, bytes, sha256: sha256(bytes), file };
}

export function multipartFile(title: string, bytes: Buffer): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), title);
  return form;
}

/** The id of whatever a (possibly misshapen) answer created, so it can be cleaned up. */
function anyId(result: CallResult): number | undefined {
  if (result.status < 200 || result.status > 299) return undefined;
  try {
    const body = JSON.parse(result.body.toString('utf8')) as Record<string, Record<string, unknown> | undefined>;
    const id = body.response?.id ?? body.Response?.Id ?? body.id ?? body.Id;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Ids the entity's file list holds, duplicates kept (a file listed twice is a finding). */
export async function listedIds(session: Session, entity: Entity, step: string, operationId = 'listCrmEntityFiles'): Promise<number[]> {
  const result = await call(session, operationId, { path: entityPath(entity), expect: { status: 200 }, step });
  const files = responseOf<FileWrapper[]>(result);
  return Array.isArray(files) ? files.map((file) => file.id) : [];
}

export function occurrences(ids: number[], id: number): number {
  return ids.filter((x) => x === id).length;
}

/** The answer of attachCrmFiles: a new "Files are uploaded" event on the entity, carrying exactly the files. */
export function verifyAttachEvent(session: Session, event: RelationshipEvent | undefined, entity: Entity, fileIds: number[]): void {
  if (!session.verify(expected.attach_returns_event, typeof event?.id === 'number', 'attachCrmFiles did not answer with the new event (response.id)')) return;
  session.verify(expected.attach_event_category, event!.category?.id === -2, `the event's category is ${event!.category?.id}, expected -2 (Files are uploaded)`);
  if (entity.type === 'contact') {
    session.verify(
      expected.attach_event_entity,
      // RelationshipEventWrapper leaves entity null for a contact; null or absent both say "no entity".
      event!.contact?.id === entity.id && (event!.entity === null || event!.entity === undefined),
      `a contact's event must carry contact.id ${entity.id} and no entity; got contact.id ${event!.contact?.id}, entity ${JSON.stringify(event!.entity)}`,
    );
  } else {
    session.verify(
      expected.attach_event_entity,
      event!.entity?.entityType === entity.type && event!.entity?.entityId === entity.id,
      `the event's entity is ${JSON.stringify(event!.entity)}, expected {entityType: ${entity.type}, entityId: ${entity.id}}`,
    );
  }
  const carried = (event!.files ?? []).map((file) => file.id);
  const exact = carried.length === fileIds.length && fileIds.every((id) => occurrences(carried, id) === 1);
  session.verify(expected.attach_event_files, exact, `the event carries files [${carried.join(', ')}], expected each of [${fileIds.join(', ')}] once`);
}

/** The site-relative path of a viewUrl, so it is fetched from the target whatever host the portal names. */
export function viewPath(session: Session, viewUrl: string): string {
  if (viewUrl.startsWith(session.target.baseUrl)) return viewUrl.slice(session.target.baseUrl.length);
  const url = new URL(viewUrl, session.target.baseUrl);
  return url.pathname + url.search;
}
