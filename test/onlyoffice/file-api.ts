import type { FileApi } from '../support/file-apis.ts';
import { download, login, uploadMultipart } from './client.ts';

export const fileApi: FileApi = {
  id: 'onlyoffice',
  missingId: '2147483000',
  connect: async (url) => {
    const token = await login(url);
    return {
      async upload(name, bytes) {
        const response = await uploadMultipart(url, token, name, bytes);
        return { status: response.status, id: response.ok ? String(((await response.json()) as { response: { id: number } }).response.id) : (await response.arrayBuffer(), undefined) };
      },
      download: (id) => download(url, token, Number(id)),
    };
  },
};
