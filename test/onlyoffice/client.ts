/** Plain-fetch calls to the ONLYOFFICE reference server, for tests that set the stage. */
export const devUser = { userName: 'admin@example.com', password: 'onlyoffice-dev-password' };

export async function login(url: string, user = devUser): Promise<string> {
  const response = await fetch(`${url}/api/2.0/authentication`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(user) });
  const body = (await response.json()) as { response?: { token?: string } };
  if (response.status !== 201 || !body.response?.token) throw new Error(`login answered ${response.status}`);
  return body.response.token;
}

export async function uploadMultipart(url: string, token: string, name: string, bytes: Buffer, extra: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(extra)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return fetch(`${url}/api/2.0/crm/contact/1/files/upload`, { method: 'POST', headers: { Authorization: token }, body: form });
}

export async function attach(url: string, token: string, entity: string, fileids: number[]): Promise<Response> {
  return fetch(`${url}/api/2.0/crm/${entity}/files`, { method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body: JSON.stringify({ fileids }) });
}

export async function listIds(url: string, token: string, entity: string): Promise<number[]> {
  const body = (await (await fetch(`${url}/api/2.0/crm/${entity}/files`, { headers: { Authorization: token } })).json()) as { response: Array<{ id: number }> };
  return body.response.map((file) => file.id);
}

export function download(url: string, token: string, fileId: number): Promise<Response> {
  return fetch(`${url}/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=${fileId}`, { headers: { Cookie: `asc_auth_key=${token}` } });
}

export async function responseOf<T>(response: Response): Promise<T> {
  return ((await response.json()) as { response: T }).response;
}
