import type { Request, Response } from 'express';
import type { ApiContext } from '../../../kit/server-api.ts';
import { devUser, passwordMatches } from '../auth.ts';
import { sendEnvelope } from '../envelope.ts';
import { onlyofficeErrors } from '../errors.ts';
import { TokenStore } from '../tokens.ts';
import { apiDateTime } from '../wrappers.ts';

/**
 * POST /authentication (`AuthenticationEntryPoint.AuthenticateMe`), JSON or form. Every failure,
 * missing fields included, is the AuthenticationException ONLYOFFICE maps to 500.
 */
export function authenticate(req: Request, res: Response, ctx: ApiContext): void {
  const { userName, password } = (req.body ?? {}) as Record<string, unknown>;
  if (!passwordMatches(ctx, userName, password)) throw onlyofficeErrors.authenticationFailed();
  const issued = new TokenStore(ctx.store).issue(devUser(ctx).userName);
  sendEnvelope(res, 201, { token: issued.token, expires: apiDateTime(issued.expires.toISOString()) });
}

export const authenticateJson = authenticate;
