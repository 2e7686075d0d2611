import { multipartBytes } from '../support/multipart-bytes.ts';
import type { RawAnswer, RawRequest } from '../support/raw-http.ts';
import type { UploadApi, UploadPath } from '../support/upload-paths.ts';
import { devUser } from './client.ts';

const uploadPath = '/api/2.0/crm/contact/1/files/upload';

function idOf(answer: RawAnswer): string | undefined {
  return answer.status === 201 ? String((JSON.parse(answer.body.toString()) as { response: { id: number } }).response.id) : undefined;
}

/** ONLYOFFICE has no 413: the reference server refuses an oversize file as an argument error (400 envelope). */
function isLimitAnswer(answer: RawAnswer): boolean {
  if (answer.status !== 400) return false;
  const body = JSON.parse(answer.body.toString()) as { status?: number; error?: { message?: string } };
  return body.status === 1 && /exceeds/.test(body.error?.message ?? '');
}

export const uploadApi: UploadApi = {
  id: 'onlyoffice',
  connect: async (send) => {
    const login = await send({ method: 'POST', path: '/api/2.0/authentication', headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(devUser)) });
    const token = (JSON.parse(login.body.toString()) as { response?: { token?: string } }).response?.token;
    if (!token) throw new Error(`ONLYOFFICE login answered ${login.status}`);
    const auth = { Authorization: token };
    const multipart: UploadPath = {
      name: 'multipart',
      isLimitAnswer,
      prepare: async (fileName, bytes) => {
        const { contentType, body } = multipartBytes({}, { field: 'file', fileName, bytes });
        return { requests: [{ method: 'POST', path: uploadPath, headers: { ...auth, 'Content-Type': contentType }, body }], idOf };
      },
    };
    const raw: UploadPath = {
      name: 'raw body',
      isLimitAnswer,
      prepare: async (fileName, bytes) => ({
        requests: [{ method: 'POST', path: uploadPath, headers: { ...auth, 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${fileName}"` }, body: bytes }],
        idOf,
      }),
    };
    const download = (id: string): RawRequest => ({
      method: 'GET',
      path: `/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=${id}`,
      headers: { Cookie: `asc_auth_key=${token}` },
      body: Buffer.alloc(0),
    });
    return {
      paths: [multipart, raw],
      // Uploaded files sit in the CRM root folder, which the API does not list; file ids are
      // sequential, so every file is found by trying each id up to past the highest one known.
      listed: async (acknowledged) => {
        const highest = Math.max(0, ...acknowledged.map(Number));
        const ids: string[] = [];
        for (let id = 1, misses = 0; id <= highest || misses < 20; id++) {
          const answer = await send(download(String(id)));
          if (answer.status === 200) {
            ids.push(String(id));
            misses = 0;
          } else misses++;
        }
        return ids;
      },
      downloadRequest: download,
      removeRequest: (id) => ({ method: 'DELETE', path: `/api/2.0/crm/files/${id}`, headers: auth, body: Buffer.alloc(0) }),
    };
  },
};
