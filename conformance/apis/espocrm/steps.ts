import type { Expectation } from '../../kit/expectations.ts';
import type { CallOptions, CallResult, Session } from '../../kit/session.ts';
import { sha256 } from '../../kit/hash.ts';

export interface Uploaded {
  id: string;
  name: string;
  bytes: Buffer;
  sha256: string;
}

/** Bytes that a text-mangling server would change: NUL, 0xFF, CR, LF and every other value. */
export function testBytes(size: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  return bytes;
}

export function dataUrl(type: string, bytes: Buffer): string {
  return `data:${type};base64,${bytes.toString('base64')}`;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** An id that matches EspoCRM's id pattern and names no record. */
export const missingId = '0000000000000000a';

/** Registers deletion of a record the scenario created; an already-gone record (404) is fine. */
export function deleteLater(session: Session, operationId: 'deleteAttachment' | 'deleteDocument' | 'deleteNote', id: string): void {
  session.cleanup(`${operationId} ${id}`, () => session.call(operationId, { path: { id }, step: `clean up: ${operationId} ${id}` }));
}

/** Uploads a whole file through POST Attachment for a File field or an Attachment-Multiple field. */
export async function uploadAttachment(
  session: Session,
  label: string,
  bytes: Buffer,
  target: { for: 'Document.file' } | { for: 'Note.attachments' },
  extra: Record<string, unknown> = {},
): Promise<Uploaded> {
  const name = `${session.name(label)}.txt`;
  const link = target.for === 'Document.file' ? { relatedType: 'Document', field: 'file' } : { parentType: 'Note', field: 'attachments' };
  const result = await session.call('createAttachment', {
    json: { name, type: 'text/plain', role: 'Attachment', ...link, file: dataUrl('text/plain', bytes), ...extra },
    expect: { success: true },
    step: `upload ${name} for ${target.for}`,
  });
  const id = result.json<{ id?: string }>().id;
  if (!id) throw new Error(`upload of ${name} returned no id`);
  deleteLater(session, 'deleteAttachment', id);
  return { id, name, bytes, sha256: sha256(bytes) };
}

/**
 * Sends a request that must be refused with `status`, for the reason `because` names (its evidence
 * decides whether a miss fails the run); if a faulty server accepts and creates something, it is
 * cleaned up.
 */
export async function expectRefusal(
  session: Session,
  operationId: string,
  options: CallOptions & { status: number; because: Expectation },
): Promise<CallResult> {
  const { status, because, ...call } = options;
  const result = await session.call(operationId, { ...call, expect: { refused: true, status, because } });
  if (result.status >= 200 && result.status < 300) {
    const id = safeId(result.body);
    const remover = { createAttachment: 'deleteAttachment', createDocument: 'deleteDocument', createNote: 'deleteNote' }[operationId] as
      | 'deleteAttachment'
      | 'deleteDocument'
      | 'deleteNote'
      | undefined;
    if (id && remover) deleteLater(session, remover, id);
  }
  return result;
}

function safeId(body: Buffer): string | undefined {
  try {
    const id = (JSON.parse(body.toString('utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The messageTranslation label of an EspoCRM error body, if any. */
export function errorLabel(body: Buffer): string | undefined {
  try {
    return (JSON.parse(body.toString('utf8')) as { messageTranslation?: { label?: string } }).messageTranslation?.label;
  } catch {
    return undefined;
  }
}
