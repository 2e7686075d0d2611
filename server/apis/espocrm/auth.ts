import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { parseBasic, secretEquals } from '../../kit/constant-time.ts';
import type { ApiContext, Principal } from '../../kit/server-api.ts';
import { espoErrors } from './errors.ts';

/**
 * Three development identities, as on a typical EspoCRM. An API user has exactly one auth method
 * (`authMethod`: `ApiKey` or `Hmac`; Core/Authentication/Util/UserFinder.php findApiApiKey /
 * findApiHmac), so there is one API user per method, both regular (non-admin) users with an "own"
 * role; and the administrator (Basic or Espo-Authorization). The API users cannot read
 * attachments the admin uploaded and has not linked yet, which is what `cannotRelateForbidden`
 * needs to be observable.
 */
export const apiUser: Principal & { id: string; name: string } = { id: '6745a0c2d1e8f3b91', user: 'api', name: 'API User', isAdmin: false };
export const hmacApiUser: Principal & { id: string; name: string } = { id: '6745a0c2d1e8f3b92', user: 'api-hmac', name: 'HMAC API User', isAdmin: false };
export const adminUser: Principal & { id: string; name: string } = { id: '1', user: 'admin', name: 'Admin', isAdmin: true };

export type EspoPrincipal = typeof apiUser;

function credentials(ctx: ApiContext) {
  const read = (flag: string) => ctx.credential(flag);
  return { apiKey: read('api-key'), hmacApiKey: read('hmac-api-key'), secretKey: read('secret-key'), username: read('username'), password: read('password') };
}

/** Header precedence as in Core/Api/Auth.php: Espo-Authorization, then API key / HMAC, then Basic. */
export function authenticateEspoCrm(req: Request, ctx: ApiContext): EspoPrincipal {
  const expected = credentials(ctx);
  if (ctx.faults.has('download-unauthenticated') && req.method === 'GET' && /\/Attachment\/file\//.test(req.path)) return apiUser;
  const espoAuthorization = req.get('Espo-Authorization');
  if (espoAuthorization !== undefined) {
    const pair = parseBasic(`Basic ${espoAuthorization}`);
    // Tokens are issued by App/user, which the reference server does not implement.
    const byToken = req.get('Espo-Authorization-By-Token') === 'true';
    if (pair && !byToken && adminPasswordMatches(pair, expected)) return adminUser;
    throw espoErrors.unauthorized(req);
  }
  const hmac = req.get('X-Hmac-Authorization');
  if (hmac !== undefined) {
    if (hmacMatches(req, hmac, expected.hmacApiKey, expected.secretKey)) return hmacApiUser;
    throw espoErrors.unauthorized(req);
  }
  const apiKey = req.get('X-Api-Key');
  if (apiKey !== undefined) {
    if (secretEquals(apiKey, expected.apiKey) || ctx.faults.has('any-api-key-accepted')) return apiUser;
    throw espoErrors.unauthorized(req);
  }
  const basic = parseBasic(req.get('Authorization'));
  if (basic && adminPasswordMatches(basic, expected)) return adminUser;
  throw espoErrors.unauthorized(req);
}

function adminPasswordMatches(pair: { user: string; password: string }, expected: { username: string; password: string }): boolean {
  // Evaluate both comparisons so timing does not reveal which half was wrong.
  const userOk = secretEquals(pair.user, expected.username);
  const passwordOk = secretEquals(pair.password, expected.password);
  return userOk && passwordOk;
}

/**
 * X-Hmac-Authorization: base64(apiKey + ":" + hex(hmac_sha256(secret, METHOD + " " + resourcePath)))
 * where resourcePath is the path after /api/v1, without the query (Core/Authentication/Logins/Hmac.php).
 * After the hex digest (Utils/ApiKey::hash, 8.4.1+) the legacy raw-binary digest is accepted
 * (Utils/ApiKey::hashLegacy), which the PHP client before 1.0 and the JS client until 2025 send.
 */
function hmacMatches(req: Request, header: string, apiKey: string, secretKey: string): boolean {
  const decoded = Buffer.from(header, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return false;
  const resourcePath = (req.baseUrl + req.path).replace(/^\/api\/v1/, '');
  const digest = createHmac('sha256', secretKey).update(`${req.method} ${resourcePath}`).digest();
  const presented = decoded.subarray(colon + 1).toString('latin1');
  // Evaluate every comparison so timing does not reveal which part was wrong.
  const keyOk = secretEquals(decoded.subarray(0, colon).toString('utf8'), apiKey);
  const hexOk = secretEquals(presented, digest.toString('hex'));
  const rawOk = secretEquals(presented, digest.toString('latin1'));
  return keyOk && (hexOk || rawOk);
}
