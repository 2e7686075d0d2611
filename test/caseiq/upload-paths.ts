import { multipartBytes } from '../support/multipart-bytes.ts';
import type { RawAnswer } from '../support/raw-http.ts';
import type { UploadApi, UploadPath } from '../support/upload-paths.ts';
import { api, seededCase } from './caseiq-client.ts';

/** Case IQ documents no 413: the reference server refuses an oversize file as a bad request. */
function isLimitAnswer(answer: RawAnswer): boolean {
  if (answer.status !== 400) return false;
  const body = JSON.parse(answer.body.toString()) as { httpstatus?: number; meta?: { message?: string } };
  return body.httpstatus === 400 && /exceeds/.test(body.meta?.message ?? '');
}

export const uploadApi: UploadApi = {
  id: 'caseiq',
  connect: async (send) => {
    const granted = await send({
      method: 'POST',
      path: '/auth/oauth2/token',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify({ grant_type: 'client_credentials', client_id: 'caseiq-dev-client', client_secret: 'caseiq-dev-secret', ttl: 3600 })),
    });
    const token = (JSON.parse(granted.body.toString()) as { access_token?: string }).access_token;
    if (!token) throw new Error(`Case IQ token request answered ${granted.status}`);
    const auth = { Authorization: `Bearer ${token}` };
    const multipart: UploadPath = {
      name: 'multipart',
      isLimitAnswer,
      prepare: async (fileName, bytes) => {
        const { contentType, body } = multipartBytes({ caseId: seededCase }, { field: 'file', fileName, bytes });
        return {
          requests: [{ method: 'POST', path: `${api}/save_file`, headers: { ...auth, 'Content-Type': contentType }, body }],
          idOf: (answer) => (answer.status === 200 ? (JSON.parse(answer.body.toString()) as { id: string }).id : undefined),
        };
      },
    };
    return {
      paths: [multipart],
      listed: async () => {
        const ids: string[] = [];
        for (let after = ''; ; ) {
          const query = `limit=100&sort=createdDate&fields=id,createdDate${after ? `&after=${encodeURIComponent(after)}` : ''}`;
          const answer = await send({ method: 'GET', path: `${api}/attachments?${query}`, headers: auth, body: Buffer.alloc(0) });
          if (answer.status !== 200) throw new Error(`GET attachments answered ${answer.status}`);
          const { records } = JSON.parse(answer.body.toString()) as { records: Array<{ id: string; createdDate: string }> };
          ids.push(...records.map((r) => r.id));
          if (records.length < 100) return ids;
          after = `${records.at(-1)!.createdDate}|${records.at(-1)!.id}`;
        }
      },
      downloadRequest: (id) => ({ method: 'GET', path: `${api}/attachment/${id}/attachment`, headers: auth, body: Buffer.alloc(0) }),
    };
  },
};
