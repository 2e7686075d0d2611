import { randomBytes } from 'node:crypto';
import type { AuthMode, AuthStrategy } from '../../kit/conformance-api.ts';
import type { Session } from '../../kit/session.ts';
import type { Target } from '../../kit/target.ts';

export const basePath = '/api/2.0';
const fileHandlerPath = '/products/files/httphandlers/filehandler.ashx';
/** A token of the right shape that no portal issued. */
const wrongToken = randomBytes(48).toString('base64');

export interface TokenResult {
  status: number;
  token?: string;
  /** Why no token came back: the error message, or the second factor the portal asks for. */
  reason?: string;
}

export function hasPassword(target: Target): boolean {
  return Boolean(target.credentials.username && target.credentials.password);
}

/** POST /api/2.0/authentication, outside any scenario's record (the token must not be reported). */
export async function requestToken(target: Target, userName: string, password: string): Promise<TokenResult> {
  let response: Response;
  try {
    response = await fetch(`${target.baseUrl}${basePath}/authentication`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ userName, password }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    return { status: 0, reason: (error as Error).message };
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const payload = tokenPayload(body);
  if (response.ok && typeof payload?.token === 'string' && payload.token) return { status: response.status, token: payload.token };
  if (payload?.tfa || payload?.sms) return { status: response.status, reason: 'the account needs a second factor; pass --token instead' };
  return { status: response.status, reason: (body?.error as { message?: string } | undefined)?.message };
}

/**
 * The token data wherever a 2xx put it: in the envelope's `response` or, from a misshapen server,
 * in `Response` or the bare body. Obtaining credentials must not judge the shape (the scenarios
 * do); otherwise a server without the envelope would look like one refusing the credentials.
 */
function tokenPayload(body: Record<string, unknown> | undefined): { token?: unknown; tfa?: unknown; sms?: unknown } | undefined {
  const candidate = (body?.response ?? body?.Response ?? body) as Record<string, unknown> | undefined;
  if (!candidate || typeof candidate !== 'object') return undefined;
  return { token: candidate.token ?? candidate.Token, tfa: candidate.tfa ?? candidate.Tfa, sms: candidate.sms ?? candidate.Sms };
}

// One token per run (the scenario files share one module context), not one per request.
const tokens = new Map<string, Promise<string>>();

function tokenFor(target: Target): Promise<string> {
  const { token, username, password } = target.credentials;
  if (token) return Promise.resolve(token);
  const key = `${target.baseUrl}\n${username}`;
  let pending = tokens.get(key);
  if (!pending) {
    pending = requestToken(target, username, password).then((result) => {
      if (!result.token) throw new Error(`POST ${basePath}/authentication answered ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
      return result.token;
    });
    tokens.set(key, pending);
  }
  return pending;
}

/**
 * The API takes the token as the whole `Authorization` header (as ONLYOFFICE's docs show); the
 * file handler behind `viewUrl` ignores that header and takes only the `asc_auth_key` cookie
 * (or Basic), so the form depends on the request path.
 */
export function tokenHeaders(token: string, path: string): Record<string, string> {
  return path.toLowerCase().includes(fileHandlerPath) ? { Cookie: `asc_auth_key=${token}` } : { Authorization: token };
}

export function onlyofficeAuth(target: Target, session: Session): AuthStrategy {
  return {
    async headers(mode: AuthMode, request) {
      if (mode === 'none') return {};
      if (mode === 'wrong') return tokenHeaders(wrongToken, request.path);
      const token = await tokenFor(target);
      session.redactor.add(token);
      return tokenHeaders(token, request.path);
    },
  };
}

/** The token the run uses, registered with the session's redactor. */
export async function sessionToken(session: Session): Promise<string> {
  const token = await tokenFor(session.target);
  session.redactor.add(token);
  return token;
}

export function basicHeader(userName: string, password: string): string {
  return `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}`;
}
