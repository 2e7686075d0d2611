import type { FileApi } from '../support/file-apis.ts';
import { bearer, grantToken, seededCase } from './caseiq-client.ts';

export const fileApi: FileApi = {
  id: 'caseiq',
  missingId: '00000000-0000-4000-8000-00000000dead',
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
};
