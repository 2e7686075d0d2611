// The OAuth2 client-credentials endpoint (POST /auth/oauth2/token): grants, its documented
// refusals in OAuth2 bodies, and token expiry. All but the first need the run's client
// credentials (with --token alone there is nothing to request tokens with).
import { setTimeout as sleep } from 'node:timers/promises';
import { scenario } from '../../kit/scenario.ts';
import { currentTarget } from '../../kit/current-target.ts';
import { stopFor } from '../../kit/session.ts';
import { hasClientCredentials, requestTokenWith, tokenOf } from './auth.ts';
import { caseiqExpectations as expected } from './expectations.ts';
import { verifyOAuthError } from './steps.ts';

const target = currentTarget();
const clientCredentials = { met: hasClientCredentials(target), enable: '--client-id with --client-secret (instead of --token)' };

// Needs no service account, so it runs with --token alone too.
scenario('Token: an unknown service account is refused with 401 invalid_client', async (s) => {
  const step = 'token request with an unknown client_id and client_secret';
  const body = { client_id: s.name('no-such-client'), client_secret: s.name('no-such-secret') };
  const result = await requestTokenWith(s, body, { expect: { refused: true, status: 401, because: expected.token_refusals }, step });
  if (result.status === 200) tokenOf(s, result);
  verifyOAuthError(s, result, 401, 'invalid_client', step);
});

scenario('Token: grants with the default and the longest ttl, and the token opens the API', { needs: clientCredentials }, async (s) => {
  for (const [ttl, lifetime] of [[undefined, 600], [3600, 3600]] as const) {
    const step = ttl === undefined ? 'token without ttl' : `token with ttl ${ttl}`;
    const granted = await requestTokenWith(s, ttl === undefined ? {} : { ttl }, { expect: { status: 200, because: expected.token_granted }, step });
    if (granted.status !== 200) continue;
    const body = granted.json<{ token_type?: unknown; expires_in?: unknown }>();
    const token = tokenOf(s, granted);
    s.verify(expected.token_granted, token !== undefined, `${step}: no access_token in the response`);
    s.verify(expected.token_type_bearer, String(body.token_type).toLowerCase() === 'bearer', `${step}: token_type is ${JSON.stringify(body.token_type)}, expected Bearer`);
    if (body.expires_in !== undefined) {
      s.verify(expected.token_lifetime, body.expires_in === lifetime, `${step}: expires_in is ${JSON.stringify(body.expires_in)}, expected ${lifetime}`);
    }
    if (token) {
      await s.call('listAttachments', {
        auth: 'none',
        headers: { Authorization: `Bearer ${token}` },
        query: { limit: 1 },
        expect: { status: 200, because: expected.token_granted },
        step: `list with the ${step}`,
      });
    }
  }
});

scenario('Token: documented refusals (wrong grant_type 501, bad credentials 401, bad ttl and scope 400)', { needs: clientCredentials }, async (s) => {
  const c = s.target.credentials;
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['grant_type password', { grant_type: 'password' }, 501, 'unsupported_grant_type'],
    ['no grant_type', { grant_type: undefined }, 501, 'unsupported_grant_type'],
    ['a wrong client_secret', { client_secret: `${c['client-secret']}-wrong` }, 401, 'invalid_client'],
    ['ttl 7200 (over 3600)', { ttl: 7200 }, 400, 'invalid_request'],
    ['ttl 0', { ttl: 0 }, 400, 'invalid_request'],
    ['a scope', { scope: 'attachments' }, 400, 'invalid_scope'],
  ];
  for (const [what, body, status, error] of cases) {
    const step = `token request with ${what}`;
    // 501 is Case IQ's documented answer to a wrong grant_type, not a crash: no bad_input_refused there.
    const because = expected.token_refusals;
    const result = await requestTokenWith(s, body, { expect: status < 500 ? { refused: true, status, because } : { status, because }, step });
    if (result.status === 200) tokenOf(s, result);
    verifyOAuthError(s, result, status, error, step);
  }
});

scenario('Token: an expired token is refused with 401', { needs: clientCredentials }, async (s) => {
  const granted = await requestTokenWith(s, { ttl: 1 }, { expect: { status: 200, because: expected.token_granted }, step: 'token with ttl 1' });
  const received = Date.now();
  const token = granted.status === 200 ? tokenOf(s, granted) : undefined;
  if (granted.status === 200) s.verify(expected.token_granted, token !== undefined, 'token with ttl 1: no access_token in the response');
  // Without the (assumed) grant there is nothing to expire: the stop is an observation.
  if (!token) throw stopFor(expected.token_granted, `no token with ttl 1 (status ${granted.status})`);
  const list = { auth: 'none' as const, headers: { Authorization: `Bearer ${token}` }, query: { limit: 1 } };
  // The server's clock started before this one, so the token is past its ttl 1 s after it
  // arrived; a server that keeps whole seconds may take up to 2 s. Probe from 1 s on until it is
  // refused, then judge one request made no earlier than that and no later than 2.5 s.
  await sleep(Math.max(0, 1000 - (Date.now() - received)));
  while (Date.now() - received < 2500) {
    const probe = await s.call('listAttachments', { ...list, step: `list with the ttl-1 token, ${Date.now() - received} ms after it arrived (probe)` });
    if (probe.status === 401) break;
    await sleep(250);
  }
  await s.call('listAttachments', {
    ...list,
    expect: { unauthorized: true, status: 401, because: expected.token_expires },
    step: `list with the ttl-1 token, ${Date.now() - received} ms after it arrived`,
  });
});
