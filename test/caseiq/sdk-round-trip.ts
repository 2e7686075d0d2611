import { createClient } from '../../generated/caseiq/client/index.ts';
import { downloadAttachment, getAttachment, listAttachments, requestToken, saveFile } from '../../generated/caseiq/sdk.gen.ts';
import { downloaded, fileOf, recorder, type RoundTrip, type RoundTripFunction } from '../support/sdk-round-trip.ts';

export const seededCaseId = '00000000-0000-4000-8000-000000000001';
export const tagIds = ['00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000b2'];

/**
 * Case IQ through its SDK: a token from the OAuth2 endpoint, each file saved to the seeded case
 * (saving is linking: the case id is a part of the upload) with tags, the case's attachments
 * listed, each read back (its tags) and downloaded. The body object puts `file` first on purpose:
 * the SDK must still send it as the last part, and the tags as `bulkTags[]` parts.
 */
export const roundTrip: RoundTripFunction = async ({ baseUrl, credentials, files }) => {
  const result: RoundTrip = { unauthenticatedStatus: 0, json: [], listed: [], downloads: [] };
  const record = recorder(result);
  const granted = record('requestToken', await requestToken({
    client: createClient({ baseUrl }),
    body: { grant_type: 'client_credentials', client_id: credentials['client-id'], client_secret: credentials['client-secret'] },
  }));
  const client = createClient({ baseUrl, auth: (scheme) => (scheme.scheme === 'bearer' ? granted.data?.access_token : undefined) });

  const ids: string[] = [];
  for (const [i, file] of files.entries()) {
    const saved = record('saveFile', await saveFile({
      client,
      body: { file: fileOf(file), bulkTags: tagIds.slice(0, 1 + (i % tagIds.length)), caseId: seededCaseId, description: `attachkit SDK round trip ${i}` },
    }));
    if (saved.data) ids.push(saved.data.id);
  }
  const page = record('listAttachments', await listAttachments({ client, query: { limit: 100, sort: 'createdDate', order: 'desc' } }));
  result.listed = (page.data?.records ?? []).filter((a) => ids.includes(a.id)).map((a) => a.name ?? '');
  for (const [i, id] of ids.entries()) {
    record('getAttachment', await getAttachment({ client, path: { id } }));
    result.downloads.push(await downloaded(files[i].name, await downloadAttachment({ client, path: { id } })));
  }
  result.unauthenticatedStatus = (await listAttachments({ client: createClient({ baseUrl }) })).response?.status ?? 0;
  return result;
};
