import { createClient } from '../../generated/espocrm/client/index.ts';
import { createAttachment, createNote, deleteNote, downloadAttachmentFile, getNote } from '../../generated/espocrm/sdk.gen.ts';
import { downloaded, recorder, type RoundTrip, type RoundTripFunction } from '../support/sdk-round-trip.ts';

/**
 * EspoCRM through its SDK: each file as a base64 data-URL attachment of role Attachment for a
 * Note's `attachments` field, one Note linking them all, the Note read back for its attachment
 * names, each file downloaded. Auth: the API user's X-Api-Key.
 */
export const roundTrip: RoundTripFunction = async ({ baseUrl, credentials, files }) => {
  const client = createClient({ baseUrl, auth: (scheme) => (scheme.name === 'X-Api-Key' ? credentials['api-key'] : undefined) });
  const result: RoundTrip = { unauthenticatedStatus: 0, json: [], listed: [], downloads: [] };
  const record = recorder(result);

  const ids: string[] = [];
  for (const file of files) {
    const uploaded = record('createAttachment', await createAttachment({
      client,
      body: { name: file.name, type: file.type, role: 'Attachment', parentType: 'Note', field: 'attachments', file: `data:${file.type};base64,${file.base64}` },
    }));
    if (uploaded.data) ids.push(uploaded.data.id);
  }
  const note = record('createNote', await createNote({ client, body: { type: 'Post', post: 'attachkit SDK round trip', attachmentsIds: ids } }));
  const noteId = note.data?.id;
  if (noteId) {
    const read = record('getNote', await getNote({ client, path: { id: noteId } }));
    const names = read.data?.attachmentsNames ?? {};
    result.listed = (read.data?.attachmentsIds ?? []).map((id) => names[id] ?? '');
    for (const [i, id] of (read.data?.attachmentsIds ?? []).entries()) {
      result.downloads.push(await downloaded(files[i]?.name ?? id, await downloadAttachmentFile({ client, path: { id } })));
    }
    const anonymous = createClient({ baseUrl });
    result.unauthenticatedStatus = (await getNote({ client: anonymous, path: { id: noteId } })).response?.status ?? 0;
    record('deleteNote', await deleteNote({ client, path: { id: noteId } }));
  }
  return result;
};
