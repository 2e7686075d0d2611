import type { Request, Response } from 'express';
import type { RequestContext } from '../../../kit/server-api.ts';
import { devUser, passwordMatches } from '../auth.ts';
import { sendEnvelope } from '../envelope.ts';
import { onlyofficeErrors } from '../errors.ts';
import { TokenStore } from '../tokens.ts';
import { apiDateTime } from '../wrappers.ts';

/**
 * POST /authentication (`AuthenticationEntryPoint.AuthenticateMe`), JSON or form. Every failure,
 * missing fields included, is the AuthenticationException ONLYOFFICE maps to 500.
 */
export async function authenticate(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const { userName, password } = (req.body ?? {}) as Record<string, unknown>;
  if (!passwordMatches(ctx, userName, password)) throw onlyofficeErrors.authenticationFailed();
  // An open operation: the workspace is created (and seeded) only for the right credentials.
  const issued = await new TokenStore(await ctx.workspaces.open(ctx.ws.name)).issue(devUser(ctx).userName);
  sendEnvelope(res, 201, { token: issued.token, expires: apiDateTime(issued.expires.toISOString()) });
}

export const authenticateJson = authenticate;
