import type { Request } from 'express';
import { parseBasic, secretEquals } from '../../kit/constant-time.ts';
import { requestState, type ApiContext, type Principal, type RequestContext } from '../../kit/server-api.ts';
import { onlyofficeErrors } from './errors.ts';
import { TokenStore } from './tokens.ts';

export const tokenCookie = 'asc_auth_key';

export function devUser(ctx: ApiContext): { userName: string; password: string } {
  return { userName: ctx.credential('username'), password: ctx.credential('password') };
}

/** User names are e-mail addresses, matched case-insensitively; both halves are always compared. */
export function passwordMatches(ctx: ApiContext, userName: unknown, password: unknown): boolean {
  if (typeof userName !== 'string' || typeof password !== 'string') return false;
  const expected = devUser(ctx);
  const userOk = secretEquals(userName.trim().toLowerCase(), expected.userName.toLowerCase());
  const passwordOk = secretEquals(password, expected.password);
  return userOk && passwordOk;
}

function principal(user: string): Principal {
  return { user, isAdmin: true };
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const pair of (req.get('Cookie') ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

async function tokenUser(ctx: RequestContext, token: string | undefined): Promise<string | undefined> {
  if (!token) return undefined;
  // Fault: whatever is presented passes as a token.
  if (ctx.faults.has('any-token-accepted')) return devUser(ctx).userName;
  return new TokenStore(ctx.ws).verify(token);
}

function basicUser(ctx: ApiContext, header: string | undefined): string | undefined {
  const pair = parseBasic(header);
  return pair && passwordMatches(ctx, pair.user, pair.password) ? devUser(ctx).userName : undefined;
}

/**
 * The API's authorizations (web.autofac.config): the `asc_auth_key` cookie, `Authorization`
 * as Basic, as `Bearer <token>`, or as the raw token. Any one that succeeds authenticates.
 */
async function apiUser(req: Request, ctx: RequestContext): Promise<string | undefined> {
  const header = req.get('Authorization')?.trim();
  const fromCookie = await tokenUser(ctx, cookieValue(req, tokenCookie));
  if (fromCookie || !header) return fromCookie;
  if (/^Basic\s/i.test(header)) return basicUser(ctx, header);
  // Fault: the Bearer prefix is not stripped, so `Bearer <token>` never matches.
  const bearer = ctx.faults.has('bearer-refused') ? undefined : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return tokenUser(ctx, bearer ?? header);
}

/** The web studio's `Global.Authenticate`: only the cookie or Basic; a token header is ignored. */
async function fileHandlerUser(req: Request, ctx: RequestContext): Promise<string | undefined> {
  const header = req.get('Authorization')?.trim();
  return (await tokenUser(ctx, cookieValue(req, tokenCookie))) ?? (header && /^Basic\s/i.test(header) ? basicUser(ctx, header) : undefined);
}

export async function authenticateOnlyoffice(req: Request, ctx: RequestContext): Promise<Principal> {
  const operationId = requestState(req.res!).operation?.operationId;
  if (operationId === 'downloadFile') {
    const user = await fileHandlerUser(req, ctx);
    if (!user) throw onlyofficeErrors.handlerForbidden();
    return principal(user);
  }
  // Fault: listing forgot its authorization, so anyone can read an entity's files.
  if (ctx.faults.has('list-without-auth') && operationId?.startsWith('listCrmEntityFiles')) return principal('anonymous');
  const user = await apiUser(req, ctx);
  if (!user) throw onlyofficeErrors.unauthorized(req);
  return principal(user);
}
