import type { Request, Response } from 'express';
import { secretEquals } from '../../../kit/constant-time.ts';
import type { RequestContext } from '../../../kit/server-api.ts';
import { serviceAccount } from '../auth.ts';
import { oauthErrors } from '../errors.ts';
import { TokenStore } from '../tokens.ts';

const defaultTtl = 600;

/**
 * POST /auth/oauth2/token (client credentials). Case IQ does not document the order of its
 * checks; this one refuses what is wrong with the request itself (grant type, scope, ttl) before
 * looking at the credentials, so a malformed request never reveals whether they are right.
 */
export async function requestToken(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.grant_type !== 'client_credentials') {
    // Fault: the RFC 6749 answer (400) instead of Case IQ's documented 501.
    if (ctx.faults.has('wrong-grant-400')) res.status(400).json({ error: 'unsupported_grant_type' });
    else throw oauthErrors.unsupportedGrantType();
    return;
  }
  if (body.scope !== undefined) throw oauthErrors.scopeNotSupported();
  const ttl = body.ttl === undefined ? defaultTtl : body.ttl;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) throw oauthErrors.ttlNotPositive(ttl);
  if (ttl > 3600) throw oauthErrors.ttlTooLarge(ttl);

  const account = serviceAccount(ctx);
  // Both comparisons always run, so timing does not tell which half was wrong.
  const idOk = secretEquals(typeof body.client_id === 'string' ? body.client_id : undefined, account.clientId);
  const secretOk = secretEquals(typeof body.client_secret === 'string' ? body.client_secret : undefined, account.clientSecret);
  if (!idOk || !secretOk) throw oauthErrors.invalidClient();

  // An open operation: the workspace is created (and seeded) only for the right credentials.
  const issued = await new TokenStore(await ctx.workspaces.open(ctx.ws.name)).issue(account.clientId, ttl);
  // RFC 6749 §5.1: token responses must not be cached.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.status(200).json({ access_token: issued.token, token_type: 'Bearer', expires_in: ttl });
}
