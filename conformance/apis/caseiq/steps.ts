import { randomUUID } from 'node:crypto';
import { stopFor, type CallOptions, type CallResult, type Session } from '../../kit/session.ts';
import type { Expectation } from '../../kit/expectations.ts';
import { sha256 } from '../../kit/hash.ts';
import { caseiqExpectations as expected } from './expectations.ts';

/** The case attachkit's reference server seeds; the default `--case-id`. */
export const seededCaseId = '00000000-0000-4000-8000-000000000001';
/** The contract's example tag ids; the default `--tag-ids`. */
export const exampleTagIds = ['00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000b3'];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function caseId(session: Session): string {
  const id = String(session.target.options['case-id'] ?? seededCaseId);
  if (!uuid.test(id)) throw new Error(`--case-id must be a UUID, got '${id}'`);
  return id;
}

export function tagIds(session: Session): string[] {
  const raw = session.target.options['tag-ids'];
  const ids = typeof raw === 'string' ? raw.split(',').map((t) => t.trim()).filter(Boolean) : exampleTagIds;
  if (ids.length < 3) throw new Error(`--tag-ids needs three tag ids, got ${ids.length}`);
  return ids;
}

/** A UUID that names no case and no attachment (random v4; a collision is not a concern). */
export function unknownId(): string {
  return randomUUID();
}

/** Bytes a text-mangling server would change: NUL, 0xFF, CR, LF and every other value. */
export function testBytes(size: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  return bytes;
}

/** A real 1×1 PNG: a server that inspects image content gets a valid one. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);

/** A minimal well-formed PDF carrying a marker, so each upload's bytes differ. */
export function tinyPdf(marker: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

export interface FileSpec {
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  tags?: string[];
  description?: string;
  templateLocale?: string;
}

export interface Uploaded extends FileSpec {
  id: string;
  caseId: string;
  sha256: string;
  record: Record<string, unknown>;
}

/**
 * The form Case IQ documents: text parts first, one `bulkTags[]` part per tag, `file` last.
 * `late` parts go after the file (to test that rule).
 */
export function saveFileForm(fields: Record<string, string | undefined>, tags: string[], file?: { bytes: Buffer; mimeType: string; fileName: string }, late: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  for (const tag of tags) form.append('bulkTags[]', tag);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.fileName);
  for (const [name, value] of Object.entries(late)) form.append(name, value);
  return form;
}

/** Uploads one file to the run's case and checks the returned record against what was sent. */
export async function upload(session: Session, spec: FileSpec, target = caseId(session)): Promise<Uploaded> {
  const tags = spec.tags ?? [];
  const result = await session.call('saveFile', {
    form: saveFileForm({ caseId: target, description: spec.description, templateLocale: spec.templateLocale }, tags, spec),
    expect: { status: 200 },
    step: `upload ${spec.fileName} (${spec.bytes.length} bytes, ${tags.length} tag${tags.length === 1 ? '' : 's'})`,
  });
  if (result.status !== 200) throw new Error(`upload of ${spec.fileName} answered ${result.status}`);
  const record = result.json<Record<string, unknown>>();
  if (typeof record.id !== 'string') throw new Error(`upload of ${spec.fileName} returned no id`);
  const uploaded: Uploaded = { ...spec, tags, id: record.id, caseId: target, sha256: sha256(spec.bytes), record };
  verifyRecord(session, record, uploaded, 'saveFile');
  return uploaded;
}

function mediaTypeOf(value: unknown): string {
  return String(value ?? '').split(';')[0].trim().toLowerCase();
}

/** Tag items are ids or tag objects (the shape is undocumented); compare their ids. */
export function tagIdsOf(tags: unknown): string[] | undefined {
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags)) return undefined;
  return tags.map((t) => (typeof t === 'object' && t !== null ? String((t as { id?: unknown }).id) : String(t)));
}

/**
 * The record describes the upload. The fields Case IQ documents (name, nameWithoutExtension,
 * sizeBytes, objectId) are held to it; the echoes it does not document (the sent media type,
 * description, templateLocale, tags) are assumptions, so a miss is an observation.
 */
export function verifyRecord(session: Session, record: Record<string, unknown>, sent: Uploaded, where: string): void {
  const dot = sent.fileName.lastIndexOf('.');
  const stem = dot > 0 ? sent.fileName.slice(0, dot) : sent.fileName;
  const fields: Array<[Expectation, string, unknown, unknown]> = [
    [expected.record_names_file, 'name', record.name, sent.fileName],
    [expected.record_names_file, 'nameWithoutExtension', record.nameWithoutExtension, stem],
    [expected.record_media_type, 'mimeType', mediaTypeOf(record.mimeType), sent.mimeType],
    [expected.record_size, 'sizeBytes', record.sizeBytes, sent.bytes.length],
    [expected.record_case, 'objectId', record.objectId, sent.caseId],
  ];
  if (sent.description !== undefined) fields.push([expected.record_description, 'description', record.description, sent.description]);
  fields.push([expected.record_template_locale, 'templateLocale', record.templateLocale, sent.templateLocale ?? 'en_US']);
  for (const [expectation, field, actual, wanted] of fields) {
    session.verify(expectation, actual === wanted, `${where} ${sent.fileName}: ${field} is ${JSON.stringify(actual)}, sent ${JSON.stringify(wanted)}`);
  }
  const tags = tagIdsOf(record.tags);
  session.verify(
    expected.tags_match_upload,
    JSON.stringify(tags === undefined ? record.tags : [...tags].sort()) === JSON.stringify([...(sent.tags ?? [])].sort()),
    `${where} ${sent.fileName}: tags are ${JSON.stringify(record.tags)}, sent ${sent.tags?.length ?? 0} bulkTags[] part(s) ${JSON.stringify(sent.tags ?? [])}`,
  );
}

export interface Page {
  records: Array<Record<string, unknown>>;
  count: unknown;
  result: CallResult;
}

/**
 * One listAttachments call; every page must report its own size as `count`. `because` names the
 * expectation that says the query is answered at all (undocumented parameters are assumptions).
 */
export async function listPage(session: Session, query: CallOptions['query'], step: string, because?: Expectation): Promise<Page> {
  const result = await session.call('listAttachments', { query, expect: { status: 200, because }, step });
  if (result.status !== 200) throw stopFor(because, `${step}: listAttachments answered ${result.status}`);
  const body = result.json<{ records?: unknown; count?: unknown }>();
  const records = Array.isArray(body.records) ? (body.records as Array<Record<string, unknown>>) : [];
  session.verify(expected.count_is_page_size, body.count === records.length, `${step}: count is ${JSON.stringify(body.count)} but the page holds ${records.length} record(s)`);
  return { records, count: body.count, result };
}

const codes: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 429: 'TOO_MANY_REQUESTS', 500: 'INTERNAL_SERVER_ERROR' };

/** A request refused with `status` for the reason `because` names, answered in Case IQ's error shape. */
export async function expectCaseIqError(session: Session, operationId: string, options: CallOptions & { status: number; because: Expectation }): Promise<CallResult> {
  const { status, because, ...call } = options;
  const result = await session.call(operationId, { ...call, expect: { refused: true, status, because } });
  if (result.status !== status) return result;
  let body: { httpstatus?: unknown; message?: unknown } = {};
  try {
    body = result.json();
  } catch {
    // response_schema_conformance / content_type_documented report a non-JSON body.
  }
  session.verify(
    expected.error_dialect,
    body.httpstatus === status && body.message === codes[status],
    `${options.step}: error body has httpstatus ${JSON.stringify(body.httpstatus)} and message ${JSON.stringify(body.message)}, expected ${status} and ${codes[status]}`,
  );
  return result;
}

/** A token request the contract says is refused with `status` and the OAuth2 `error` code. */
export function verifyOAuthError(session: Session, result: CallResult, status: number, error: string, step: string): void {
  if (result.status !== status) return;
  let body: { error?: unknown } = {};
  try {
    body = result.json();
  } catch {
    // Reported by the shared checks.
  }
  session.verify(expected.oauth_error_code, body.error === error, `${step}: error is ${JSON.stringify(body.error)}, expected ${error}`);
}
