import { createClient } from '../../generated/onlyoffice/client/index.ts';
import { attachCrmFiles, authenticate, deleteCrmFile, downloadFile, listCrmEntityFiles, uploadCrmFile } from '../../generated/onlyoffice/sdk.gen.ts';
import { downloaded, fileOf, recorder, type RoundTrip, type RoundTripFunction } from '../support/sdk-round-trip.ts';

/**
 * ONLYOFFICE through its SDK: a token from `authenticate`, each file uploaded as multipart, the
 * files attached to seeded opportunity 1, its file list read, each file downloaded from the file
 * handler, and the files deleted. Auth: the token in Authorization (and the asc_auth_key cookie,
 * which the file handler reads; a browser drops a Cookie header, so Basic stands in for it there).
 */
export const roundTrip: RoundTripFunction = async ({ baseUrl, credentials, files }) => {
  const result: RoundTrip = { unauthenticatedStatus: 0, json: [], listed: [], downloads: [] };
  const record = recorder(result);
  const entity = { entityType: 'opportunity' as const, entityid: 1 };

  const login = record('authenticate', await authenticate({ client: createClient({ baseUrl }), body: { userName: credentials.username, password: credentials.password } }));
  const token = login.data?.response.token ?? undefined;
  const client = createClient({
    baseUrl,
    auth: (scheme) => (scheme.scheme === 'basic' ? `${credentials.username}:${credentials.password}` : scheme.scheme === 'bearer' ? undefined : token),
  });

  const ids: number[] = [];
  for (const file of files) {
    const uploaded = record('uploadCrmFile', await uploadCrmFile({ client, path: { entityType: 'contact', entityid: 1 }, body: { file: fileOf(file) } }));
    if (uploaded.data) ids.push(uploaded.data.response.id);
  }
  record('attachCrmFiles', await attachCrmFiles({ client, path: entity, body: { fileids: ids } }));
  const list = record('listCrmEntityFiles', await listCrmEntityFiles({ client, path: entity }));
  const listedFiles = (list.data?.response ?? []).filter((f) => ids.includes(f.id));
  result.listed = listedFiles.map((f) => f.title);
  for (const [i, id] of ids.entries()) {
    result.downloads.push(await downloaded(files[i].name, await downloadFile({ client, query: { action: 'download', fileid: id } })));
  }
  result.unauthenticatedStatus = (await listCrmEntityFiles({ client: createClient({ baseUrl }), path: entity })).response?.status ?? 0;
  for (const id of ids) record('deleteCrmFile', await deleteCrmFile({ client, path: { fileid: id } }));
  return result;
};
