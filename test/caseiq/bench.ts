import { configuredCredential, findApi } from '../../registry.ts';
import { seedByUpload, type BenchApi } from '../../bench/apis.ts';
import { collect, multipartBody } from '../../bench/big-file.ts';
import { requestJson } from '../../bench/http-client.ts';
import type { LoadTarget } from '../../bench/load.ts';

const caseId = '00000000-0000-4000-8000-000000000001';

async function token(site: string): Promise<string> {
  const api = findApi('caseiq')!;
  const body = JSON.stringify({ grant_type: 'client_credentials', client_id: configuredCredential(api, 'client-id'), client_secret: configuredCredential(api, 'client-secret'), ttl: 3600 });
  const answer = await requestJson(`${site}/auth/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const accessToken = (answer.body as { access_token?: string }).access_token;
  if (answer.status !== 200 || !accessToken) throw new Error(`Case IQ token request answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return accessToken;
}

/** Case IQ in the benchmark: save_file (multipart) for the load phases and the big transfers. */
export const benchApi: BenchApi = {
  id: 'caseiq',
  async small(smallBytes) {
    const form = multipartBody({ caseId }, { field: 'file', fileName: 'bench.txt', size: smallBytes });
    const body = await collect(form);
    const upload = (site: string, auth: Record<string, string>): LoadTarget => ({ url: `${site}/api-public/1.0/save_file`, method: 'POST', headers: { ...auth, 'Content-Type': form.contentType }, body });
    return {
      api: 'caseiq',
      getLabel: 'Case IQ GET /attachment/{id}',
      uploadLabel: `Case IQ POST /save_file (multipart, ${smallBytes} B)`,
      credentials: async (site, prism) => ({ Authorization: `Bearer ${prism ? 'attachkit-bench-placeholder' : await token(site)}` }),
      seed: (site, auth) => seedByUpload('Case IQ save_file', upload(site, auth)),
      exampleId: '00000000-0000-4000-8000-0000000000a1',
      get: (site, auth, id) => ({ url: `${site}/api-public/1.0/attachment/${id}`, method: 'GET', headers: auth }),
      upload,
    };
  },
  multipart: {
    auth: async (site) => ({ Authorization: `Bearer ${await token(site)}` }),
    uploadUrl: (site) => `${site}/api-public/1.0/save_file`,
    body: (fileName, size) => ({ type: 'multipart', size, fields: { caseId }, field: 'file', fileName }),
    recordOf: (answer) => ({ id: (answer as { id?: string }).id, size: (answer as { sizeBytes?: number }).sizeBytes }),
    downloadUrl: (site, id) => `${site}/api-public/1.0/attachment/${id}/attachment`,
  },
};
