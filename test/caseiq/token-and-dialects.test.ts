// The token endpoint and bearer authentication on the reference server, and which error dialect
// answers where: OAuth2 bodies under /auth (including the framework's own failures), Case IQ's
// shape under /api-public/1.0.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TokenStore } from '../../server/apis/caseiq/tokens.ts';
import { defaultWorkspace } from '../../server/store/workspace.ts';
import { rows } from '../support/store-inspect.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { api, bearer, grantToken } from './caseiq-client.ts';

const account = { grant_type: 'client_credentials', client_id: 'caseiq-dev-client', client_secret: 'caseiq-dev-secret' };

describe('Case IQ tokens and error dialects', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ apis: ['caseiq'] });
  });
  afterAll(() => server.close());

  async function token(body: unknown, contentType = 'application/json') {
    const response = await fetch(`${server.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }

  async function listWith(headers: Record<string, string>) {
    const response = await fetch(`${server.url}${api}/attachments?limit=1`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test('grants a Bearer token living ttl seconds (600 by default), not cacheable', async () => {
    const granted = await token(account);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(granted.headers.get('cache-control')).toBe('no-store');
    expect((await token({ ...account, ttl: 3600 })).body.expires_in).toBe(3600);
    expect((await listWith(bearer(String(granted.body.access_token)))).status).toBe(200);
  });

  test('refusals in OAuth2 bodies: 501 wrong grant, 401 bad client, 400 ttl/scope/malformed/form-encoded', async () => {
    expect(await token({ ...account, grant_type: 'password' })).toMatchObject({ status: 501, body: { error: 'unsupported_grant_type' } });
    expect(await token({ client_id: account.client_id, client_secret: account.client_secret })).toMatchObject({ status: 501, body: { error: 'unsupported_grant_type' } });
    expect(await token({ ...account, client_secret: 'nope' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await token({ ...account, client_id: 'nobody' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await token({ ...account, scope: 'all' })).toMatchObject({ status: 400, body: { error: 'invalid_scope', error_description: 'Scope is not supported' } });
    // Caught by request validation before the handler, still answered in OAuth2's shape.
    for (const ttl of [0, -5, 7200, 'long']) expect(await token({ ...account, ttl })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await token('{"grant_type":')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await token(new URLSearchParams(account).toString(), 'application/x-www-form-urlencoded')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const unknownAuthPath = await fetch(`${server.url}/auth/oauth2/revoke`, { method: 'POST' });
    expect(unknownAuthPath.status).toBe(404);
    expect(await unknownAuthPath.json()).toHaveProperty('error');
  });

  test('the API takes only unexpired Bearer tokens and refuses in its own dialect', async () => {
    const missing = await listWith({});
    expect(missing).toEqual({ status: 401, body: { name: 'SERVICE_ACCOUNT_ERROR', httpstatus: 401, meta: { message: 'Access token is missing' }, message: 'UNAUTHORIZED' } });
    expect((await listWith({ Authorization: 'Basic Y2FzZWlxLWRldi1jbGllbnQ6Y2FzZWlxLWRldi1zZWNyZXQ=' })).status).toBe(401);
    expect((await listWith(bearer('not-a-token'))).body.meta).toEqual({ message: 'Access token is invalid' });
    // Issued an hour ago with a ttl of one second: long expired, no waiting needed.
    const { token: expired } = await new TokenStore(server.store.workspace(defaultWorkspace)).issue('caseiq-dev-client', 1, Date.now() - 3600_000);
    expect(await listWith(bearer(expired))).toEqual({ status: 401, body: { name: 'SERVICE_ACCOUNT_ERROR', httpstatus: 401, meta: { message: 'Access token has expired' }, message: 'UNAUTHORIZED' } });
    const valid = await grantToken(server.url);
    expect((await listWith({ Authorization: `bearer ${valid}` })).status).toBe(200);
  });

  test('tokens are stored only as hashes', async () => {
    const valid = await grantToken(server.url);
    const stored = (await rows<{ token_hash: string }>(server.store, 'SELECT token_hash FROM caseiq_token')).map((r) => r.token_hash);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).not.toContain(valid);
  });

  test('framework failures on the API paths answer in Case IQ shape, never 500', async () => {
    const headers = bearer(await grantToken(server.url));
    const unknownRoute = await fetch(`${server.url}${api}/attachment`, { headers });
    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.json()).toMatchObject({ name: 'SERVICE_ACCOUNT_ERROR', httpstatus: 404, message: 'NOT_FOUND' });
    // A bad escape in a query value is read leniently (as qs does): whatever it answers, not a 5xx.
    expect((await fetch(`${server.url}${api}/attachments?name=%E0%A4%A&objectId=%ZZ`, { headers })).status).toBeLessThan(500);
    for (const url of [`${api}/attachment/%E0%A4%A`, `${api}/attachments?foo=bar`, `${api}/attachment/not-a-uuid`]) {
      const response = await fetch(`${server.url}${url}`, { headers });
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(response.status, url).toBeLessThan(500);
      expect(await response.json()).toMatchObject({ name: 'SERVICE_ACCOUNT_ERROR', httpstatus: response.status });
    }
    // Raw reserved characters and `+` for a space are read as any Express app reads them.
    const raw = await fetch(`${server.url}${api}/attachments?mimeType=application/pdf&after=2020-01-01T00:00:00.000Z&name=my+report.pdf`, { headers });
    expect(raw.status).toBe(200);
  });

  test('the service account comes from the environment when set', async () => {
    const custom = await startReferenceServer({ apis: ['caseiq'], config: { env: { CASEIQ_CLIENT_ID: 'svc', CASEIQ_CLIENT_SECRET: 's3cret' } } });
    try {
      const post = (body: unknown) =>
        fetch(`${custom.url}/auth/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
      expect(await post({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 's3cret' })).toBe(200);
      expect(await post(account)).toBe(401);
    } finally {
      await custom.close();
    }
  });
});
