import { bearer, grantToken, seededCase } from '../caseiq/caseiq-client.ts';
import { download as onlyofficeDownload, login, uploadMultipart } from '../onlyoffice/client.ts';

/**
 * Upload and download a file through each API the same way, for tests that hold all three to
 * one rule (durability, concurrency, file names). `connect` obtains a token where the API needs one.
 */
export interface FileApi {
  id: 'espocrm' | 'onlyoffice' | 'caseiq';
  connect(url: string): Promise<FileSession>;
}

export interface FileSession {
  upload(name: string, bytes: Buffer): Promise<{ status: number; id?: string }>;
  download(id: string): Promise<Response>;
}

const espoKey = { 'X-Api-Key': 'espocrm-dev-key' };

export const fileApis: FileApi[] = [
  {
    id: 'espocrm',
    connect: async (url) => ({
      async upload(name, bytes) {
        const body = JSON.stringify({ name, type: 'text/plain', role: 'Attachment', parentType: 'Note', field: 'attachments', file: `data:text/plain;base64,${bytes.toString('base64')}` });
        const response = await fetch(`${url}/api/v1/Attachment`, { method: 'POST', headers: { ...espoKey, 'Content-Type': 'application/json' }, body });
        return { status: response.status, id: response.ok ? ((await response.json()) as { id: string }).id : (await response.arrayBuffer(), undefined) };
      },
      download: (id) => fetch(`${url}/api/v1/Attachment/file/${id}`, { headers: espoKey }),
    }),
  },
  {
    id: 'onlyoffice',
    connect: async (url) => {
      const token = await login(url);
      return {
        async upload(name, bytes) {
          const response = await uploadMultipart(url, token, name, bytes);
          return { status: response.status, id: response.ok ? String(((await response.json()) as { response: { id: number } }).response.id) : (await response.arrayBuffer(), undefined) };
        },
        download: (id) => onlyofficeDownload(url, token, Number(id)),
      };
    },
  },
  {
    id: 'caseiq',
    connect: async (url) => {
      const token = await grantToken(url, 3600);
      return {
        async upload(name, bytes) {
          const form = new FormData();
          form.append('caseId', seededCase);
          form.append('file', new Blob([new Uint8Array(bytes)]), name);
          const response = await fetch(`${url}/api-public/1.0/save_file`, { method: 'POST', headers: bearer(token), body: form });
          return { status: response.status, id: response.ok ? ((await response.json()) as { id: string }).id : (await response.arrayBuffer(), undefined) };
        },
        download: (id) => fetch(`${url}/api-public/1.0/attachment/${id}/attachment`, { headers: bearer(token) }),
      };
    },
  },
];
