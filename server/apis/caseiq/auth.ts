import type { Request } from 'express';
import type { ApiContext, Principal, RequestContext } from '../../kit/server-api.ts';
import { authMount, caseIqErrors } from './errors.ts';
import { TokenStore } from './tokens.ts';

/** The seeded case every fresh store has (the conformance suite's default `--case-id`). */
export const seededCaseId = '00000000-0000-4000-8000-000000000001';

export function serviceAccount(ctx: ApiContext): { clientId: string; clientSecret: string } {
  return { clientId: ctx.credential('client-id'), clientSecret: ctx.credential('client-secret') };
}

/**
 * `Authorization: Bearer <access_token>` with a token from requestToken that has not expired.
 * Requests under `/auth` reach this only for paths the contract does not know; they get the
 * authorization service's 404 rather than a 401.
 */
export async function authenticateCaseIq(req: Request, ctx: RequestContext): Promise<Principal> {
  if (req.baseUrl === authMount) return { user: 'anonymous', isAdmin: false };
  const header = req.get('Authorization');
  if (header === undefined || header.trim() === '') throw caseIqErrors.missingToken();
  const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  if (!m) throw caseIqErrors.invalidToken();
  const token = await new TokenStore(ctx.ws).find(m[1]);
  if (!token) throw caseIqErrors.invalidToken();
  // Fault: the expiry is never checked, so a token lives forever.
  if (token.expiresAt <= Date.now() && !ctx.faults.has('expired-token-accepted')) throw caseIqErrors.expiredToken();
  return { user: token.clientId, isAdmin: false };
}
