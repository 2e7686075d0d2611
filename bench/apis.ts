import { collect, dataUrlJsonBody, multipartBody } from './big-file.ts';
import { requestJson } from './http-client.ts';
import type { LoadTarget } from './load.ts';

/**
 * The two small operations of each API, as the reference server and Prism get them: the same
 * path, body and auth header (Prism only checks that the header is there, so it gets a
 * placeholder token). On the reference server the GET reads a real record created first; Prism
 * answers the GET for the contract's example id.
 */
export interface SmallOperations {
  api: string;
  getLabel: string;
  uploadLabel: string;
  /** Auth headers: real credentials on the reference server, the same header shape for Prism. */
  credentials(site: string, prism: boolean): Promise<Record<string, string>>;
  /** Creates a record on the reference server and returns its id. */
  seed(site: string, auth: Record<string, string>): Promise<string>;
  /** The id Prism's examples answer for. */
  exampleId: string;
  get(site: string, auth: Record<string, string>, id: string): LoadTarget;
  upload(site: string, auth: Record<string, string>): LoadTarget;
}

export const caseIqCaseId = '00000000-0000-4000-8000-000000000001';

export async function caseIqToken(site: string): Promise<string> {
  const body = JSON.stringify({ grant_type: 'client_credentials', client_id: 'caseiq-dev-client', client_secret: 'caseiq-dev-secret', ttl: 3600 });
  const answer = await requestJson(`${site}/auth/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const token = (answer.body as { access_token?: string }).access_token;
  if (answer.status !== 200 || !token) throw new Error(`Case IQ token request answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return token;
}

export const espoApiKey = { 'X-Api-Key': 'espocrm-dev-key' };

/** Builds the small bodies once, so every target gets byte-identical requests. */
export async function smallOperations(apiId: string, smallBytes: number): Promise<SmallOperations> {
  if (apiId === 'caseiq') {
    const form = multipartBody({ caseId: caseIqCaseId }, { field: 'file', fileName: 'bench.txt', size: smallBytes });
    const body = await collect(form);
    const upload = (site: string, auth: Record<string, string>): LoadTarget => ({
      url: `${site}/api-public/1.0/save_file`,
      method: 'POST',
      headers: { ...auth, 'Content-Type': form.contentType },
      body,
    });
    return {
      api: 'caseiq',
      getLabel: 'Case IQ GET /attachment/{id}',
      uploadLabel: `Case IQ POST /save_file (multipart, ${smallBytes} B)`,
      credentials: async (site, prism) => ({ Authorization: `Bearer ${prism ? 'attachkit-bench-placeholder' : await caseIqToken(site)}` }),
      seed: async (site, auth) => {
        const target = upload(site, auth);
        const answer = await requestJson(target.url, target);
        const id = (answer.body as { id?: string }).id;
        if (answer.status !== 200 || !id) throw new Error(`Case IQ save_file answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return id;
      },
      exampleId: '00000000-0000-4000-8000-0000000000a1',
      get: (site, auth, id) => ({ url: `${site}/api-public/1.0/attachment/${id}`, method: 'GET', headers: auth }),
      upload,
    };
  }
  if (apiId === 'espocrm') {
    const json = dataUrlJsonBody({ name: 'bench.txt', type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file' }, { mimeType: 'text/plain', size: smallBytes });
    const body = await collect(json);
    const upload = (site: string, auth: Record<string, string>): LoadTarget => ({
      url: `${site}/api/v1/Attachment`,
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body,
    });
    return {
      api: 'espocrm',
      getLabel: 'EspoCRM GET /Attachment/{id}',
      uploadLabel: `EspoCRM POST /Attachment (JSON data URL, ${smallBytes} B)`,
      credentials: async () => ({ ...espoApiKey }),
      seed: async (site, auth) => {
        const target = upload(site, auth);
        const answer = await requestJson(target.url, target);
        const id = (answer.body as { id?: string }).id;
        if (answer.status !== 200 || !id) throw new Error(`EspoCRM POST Attachment answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return id;
      },
      exampleId: '6745a0c2d1e8f3b90',
      get: (site, auth, id) => ({ url: `${site}/api/v1/Attachment/${id}`, method: 'GET', headers: auth }),
      upload,
    };
  }
  throw new Error(`no small operations defined for API ${apiId}`);
}
