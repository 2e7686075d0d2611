import { randomUUID } from 'node:crypto';
import { CaseIqRepository, type AttachmentRow } from '../../server/apis/caseiq/repository.ts';
import type { Store } from '../../server/store/store.ts';
import { defaultWorkspace } from '../../server/store/workspace.ts';

export const seededCase = '00000000-0000-4000-8000-000000000001';
export const api = '/api-public/1.0';

/** A token from the reference server's development service account. */
export async function grantToken(url: string, ttl?: number): Promise<string> {
  const response = await fetch(`${url}/auth/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'caseiq-dev-client', client_secret: 'caseiq-dev-secret', ttl }),
  });
  if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** Stores a record straight into the repository (with a chosen createdDate), bypassing HTTP. */
export async function insertRecord(store: Store, fields: Partial<AttachmentRow> & { created_date: string }, workspace = defaultWorkspace): Promise<AttachmentRow> {
  const blob = await store.blobs.write(Buffer.from(fields.name ?? 'x'));
  return new CaseIqRepository(store.workspace(workspace)).insertAttachment(
    {
      id: randomUUID(),
      name: 'file.txt',
      name_without_extension: 'file',
      encoding: '7bit',
      mime_type: 'text/plain',
      object_id: seededCase,
      size_bytes: blob.size,
      description: null,
      tags: '[]',
      template_locale: 'en_US',
      kind: 'file',
      file_format: 'txt',
      blob_key: blob.key,
      ...fields,
    },
    blob,
  );
}
