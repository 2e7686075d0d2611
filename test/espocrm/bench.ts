import { configuredCredential, findApi } from '../../registry.ts';
import { seedByUpload, type BenchApi } from '../../bench/apis.ts';
import { collect, dataUrlJsonBody } from '../../bench/big-file.ts';
import { requestJson } from '../../bench/http-client.ts';
import type { LoadTarget } from '../../bench/load.ts';

const apiKey = () => ({ 'X-Api-Key': configuredCredential(findApi('espocrm')!, 'api-key') });

/** EspoCRM in the benchmark: POST Attachment (a base64 data URL in JSON) for the load phases and its big upload. */
export const benchApi: BenchApi = {
  id: 'espocrm',
  async small(smallBytes) {
    const json = dataUrlJsonBody({ name: 'bench.txt', type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file' }, { mimeType: 'text/plain', size: smallBytes });
    const body = await collect(json);
    const upload = (site: string, auth: Record<string, string>): LoadTarget => ({ url: `${site}/api/v1/Attachment`, method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body });
    return {
      api: 'espocrm',
      getLabel: 'EspoCRM GET /Attachment/{id}',
      uploadLabel: `EspoCRM POST /Attachment (JSON data URL, ${smallBytes} B)`,
      credentials: async () => apiKey(),
      seed: (site, auth) => seedByUpload('EspoCRM POST Attachment', upload(site, auth)),
      exampleId: '6745a0c2d1e8f3b90',
      get: (site, auth, id) => ({ url: `${site}/api/v1/Attachment/${id}`, method: 'GET', headers: auth }),
      upload,
    };
  },
  jsonUpload: {
    auth: async () => apiKey(),
    uploadUrl: (site) => `${site}/api/v1/Attachment`,
    body: (name, size) => ({ type: 'data-url-json', size, attributes: { name, type: 'application/octet-stream', role: 'Attachment', parentType: 'Note', field: 'attachments' }, mimeType: 'application/octet-stream' }),
    recordOf: (answer) => ({ id: (answer as { id?: string }).id, size: (answer as { size?: number }).size }),
    downloadUrl: (site, id) => `${site}/api/v1/Attachment/file/${id}`,
    metadataUrl: (site, id) => `${site}/api/v1/Attachment/${id}`,
  },
};
