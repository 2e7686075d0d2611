// Authentication as ONLYOFFICE does it: a token from POST /authentication, accepted raw, as
// Bearer or as the asc_auth_key cookie; failures are 500 (login) and plain-text 401 (API).
import { scenario } from '../../kit/scenario.ts';
import { currentTarget } from '../../kit/current-target.ts';
import { basicHeader, hasPassword, sessionToken } from './auth.ts';
import { call, responseOf, testBytes, uploadFile } from './steps.ts';
import { onlyofficeExpectations as expected } from './expectations.ts';

const target = currentTarget();
const passwordNeeded = { met: hasPassword(target), enable: '--username with --password (instead of --token)' };

scenario('POST /authentication issues a token accepted raw, as Bearer and as the asc_auth_key cookie; Basic works too', { needs: passwordNeeded }, async (s) => {
  const { username, password } = s.target.credentials;
  const issued = await call(s, 'authenticate', { json: { userName: username, password }, auth: 'none', expect: { status: 201, because: expected.token_issued }, step: 'log in' });
  const token = responseOf<{ token?: string | null; expires?: string }>(issued);
  if (token?.token) s.redactor.add(token.token);
  s.verify(expected.token_issued, typeof token?.token === 'string' && token.token.length > 0, 'authenticate answered without response.token');
  s.verify(expected.token_expires, !Number.isNaN(Date.parse(token?.expires ?? '')), `response.expires '${token?.expires}' is not a date`);
  if (!token?.token) return;
  const forms: Array<[string, Record<string, string>]> = [
    ['Authorization: <token>', { Authorization: token.token }],
    ['Authorization: Bearer <token>', { Authorization: `Bearer ${token.token}` }],
    ['Cookie: asc_auth_key=<token>', { Cookie: `asc_auth_key=${token.token}` }],
    ['Authorization: Basic', { Authorization: basicHeader(username, password) }],
  ];
  for (const [form, headers] of forms) {
    await call(s, 'getCrmRootFolder', { auth: 'none', headers, expect: { status: 200, because: expected.token_issued }, step: `read the root folder with ${form}` });
  }
  const file = await uploadFile(s, 'basic-download', testBytes(256, 5));
  await s.call('downloadFile', {
    query: { action: 'download', fileid: file.id },
    auth: 'none',
    headers: { Authorization: basicHeader(username, password) },
    expect: { status: 200, sha256: file.sha256 },
    step: 'download through the file handler with Basic',
  });
});

scenario('A failed login is 500 with the error envelope and no token; a body that is not JSON is 400', async (s) => {
  // ONLYOFFICE maps AuthenticationException to 500. Without a known user, an unknown one fails the same way.
  const userName = s.target.credentials.username ?? 'attachkit-nobody@example.invalid';
  const password = `${s.target.credentials.password ?? 'attachkit'}-wrong`;
  for (const operationId of ['authenticate', 'authenticateJson']) {
    const failed = await call(s, operationId, { json: { userName, password }, auth: 'none', expect: { status: 500, because: expected.failed_login_500 }, step: `${operationId} with a wrong password` });
    s.verify(expected.failed_login_500, !responseOf<{ token?: string }>(failed)?.token, `${operationId} gave a token for a wrong password`);
    await call(s, operationId, {
      text: '{"userName": ',
      contentType: 'application/json',
      auth: 'none',
      expect: { status: 400, refused: true, because: expected.unparsable_body_400 },
      step: `${operationId} with a body that is not JSON`,
    });
  }
});

scenario('401 is the plain text Unauthorized, with a Bearer challenge only when an Authorization header came', async (s) => {
  await sessionToken(s);
  const wrong = await s.call('getCrmRootFolder', { auth: 'wrong', expect: { unauthorized: true }, step: 'a wrong token' });
  s.verify(expected.unauthorized_text, wrong.body.toString('utf8').trim() === 'Unauthorized', `the 401 body is '${wrong.body.toString('utf8').slice(0, 60)}', expected Unauthorized`);
  const challenge = wrong.headers['www-authenticate'] ?? '';
  s.verify(expected.bearer_challenge, /^Bearer\s+Realm=/i.test(challenge), `WWW-Authenticate is '${challenge}', expected Bearer Realm="<host>"`);
  const none = await s.call('getCrmRootFolder', { auth: 'none', expect: { unauthorized: true }, step: 'no credentials' });
  s.verify(expected.no_challenge_without_header, none.headers['www-authenticate'] === undefined, `WWW-Authenticate '${none.headers['www-authenticate']}' sent to a request without Authorization`);
});
