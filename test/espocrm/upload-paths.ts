import type { RawAnswer, RawRequest } from '../support/raw-http.ts';
import type { UploadApi, UploadPath } from '../support/upload-paths.ts';

const apiKey = { 'X-Api-Key': 'espocrm-dev-key' };
const admin = { Authorization: `Basic ${Buffer.from('admin:espocrm-dev-password').toString('base64')}` };
const attributes = { type: 'application/octet-stream', role: 'Attachment', parentType: 'Note', field: 'attachments' };

function json(method: string, path: string, value: unknown, headers: Record<string, string> = apiKey): RawRequest {
  return { method, path, headers: { ...headers, 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) };
}

function idOf(answer: RawAnswer): string | undefined {
  return answer.status === 200 ? (JSON.parse(answer.body.toString()) as { id?: string }).id : undefined;
}

/** EspoCRM answers an upload over attachmentUploadMaxSize with 403 and this reason. */
const isLimitAnswer = (answer: RawAnswer) => answer.status === 403 && /attachmentUploadMaxSize|Max attachment size/.test(answer.headers['x-status-reason'] ?? '');

export const uploadApi: UploadApi = {
  id: 'espocrm',
  connect: async (send) => {
    const base64: UploadPath = {
      name: 'base64 JSON',
      isLimitAnswer,
      prepare: async (fileName, bytes) => ({
        requests: [json('POST', '/api/v1/Attachment', { name: fileName, ...attributes, file: `data:application/octet-stream;base64,${bytes.toString('base64')}` })],
        idOf,
      }),
    };
    const chunked: UploadPath = {
      name: 'chunked',
      chunked: true,
      isLimitAnswer,
      prepare: async (fileName, bytes) => {
        const created = await send(json('POST', '/api/v1/Attachment', { name: fileName, ...attributes, size: bytes.length, isBeingUploaded: true }));
        const id = idOf(created);
        if (!id) throw new Error(`EspoCRM chunked upload start answered ${created.status}`);
        const size = Math.ceil(bytes.length / 4);
        const requests = [0, 1, 2, 3].map((i) =>
          json('POST', `/api/v1/Attachment/chunk/${id}`, `data:application/octet-stream;base64,${bytes.subarray(i * size, (i + 1) * size).toString('base64')}`),
        );
        return { requests, idOf: (answer) => (answer.status === 200 ? id : undefined), id };
      },
    };
    return {
      paths: [base64, chunked],
      // GET Attachment lists every attachment for the administrator; complete ones hold whole files.
      listed: async () => {
        const ids: string[] = [];
        for (let offset = 0; ; offset += 200) {
          const answer = await send({ method: 'GET', path: `/api/v1/Attachment?maxSize=200&offset=${offset}`, headers: admin, body: Buffer.alloc(0) });
          if (answer.status !== 200) throw new Error(`GET Attachment answered ${answer.status} ${answer.headers['x-status-reason'] ?? ''}`);
          const page = JSON.parse(answer.body.toString()) as { list: Array<{ id: string; isBeingUploaded?: boolean }> };
          ids.push(...page.list.filter((a) => !a.isBeingUploaded).map((a) => a.id));
          if (page.list.length < 200) return ids;
        }
      },
      downloadRequest: (id) => ({ method: 'GET', path: `/api/v1/Attachment/file/${id}`, headers: apiKey, body: Buffer.alloc(0) }),
      removeRequest: (id) => ({ method: 'DELETE', path: `/api/v1/Attachment/${id}`, headers: apiKey, body: Buffer.alloc(0) }),
    };
  },
};
