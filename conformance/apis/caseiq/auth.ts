import { randomBytes } from 'node:crypto';
import type { AuthStrategy } from '../../kit/conformance-api.ts';
import type { CallResult, Session } from '../../kit/session.ts';
import type { Target } from '../../kit/target.ts';

/** A token of the usual shape that no server issued. */
const wrongToken = randomBytes(32).toString('base64url');

interface Grant {
  token: string;
  /** Local clock; the grant is renewed a minute before. */
  renewAt: number;
}

/** One grant per run (the scenario files share one module context), renewed before it expires on long runs. */
let grant: Promise<Grant> | undefined;
let current: Grant | undefined;

export function hasClientCredentials(target: Target): boolean {
  return Boolean(target.credentials['client-id'] && target.credentials['client-secret']);
}

/** POST /auth/oauth2/token with the run's client credentials (sent without a bearer token). */
export function requestTokenWith(session: Session, body: Record<string, unknown>, options: Parameters<Session['call']>[1] = {}): Promise<CallResult> {
  const c = session.target.credentials;
  return session.call('requestToken', {
    auth: 'none',
    json: { grant_type: 'client_credentials', client_id: c['client-id'], client_secret: c['client-secret'], ...body },
    ...options,
  });
}

/** The access token in a token response, registered with the session's redactor at once. */
export function tokenOf(session: Session, result: CallResult): string | undefined {
  try {
    const token = result.json<{ access_token?: unknown }>().access_token;
    if (typeof token !== 'string' || token === '') return undefined;
    session.redactor.add(token);
    return token;
  } catch {
    return undefined;
  }
}

/**
 * POST /auth/oauth2/token outside the recorded session: getting a token is how the run
 * authenticates, not a request under test (the token scenarios record and check grants), and it
 * writes no record, so read-only runs may do it too.
 */
export async function fetchToken(target: Target, ttl?: number): Promise<{ status: number; token?: string; expiresIn?: number; error?: string; transportError?: string }> {
  const c = target.credentials;
  try {
    const response = await fetch(`${target.baseUrl}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: c['client-id'], client_secret: c['client-secret'], ttl }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    return {
      status: response.status,
      token: typeof body.access_token === 'string' && body.access_token !== '' ? body.access_token : undefined,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
      error: typeof body.error === 'string' ? body.error : undefined,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 0, transportError: cause?.code ?? (error as Error).message };
  }
}

async function obtain(target: Target): Promise<Grant> {
  // The longest ttl Case IQ allows, so one token outlives a whole run.
  const granted = await fetchToken(target, 3600);
  if (!granted.token) throw new Error(`no access token: POST /auth/oauth2/token answered ${granted.status}${granted.error ? ` ${granted.error}` : ''}`);
  return { token: granted.token, renewAt: Date.now() + Math.max(0, (granted.expiresIn ?? 600) - 60) * 1000 };
}

async function validToken(target: Target): Promise<string> {
  if (target.credentials.token) return target.credentials.token;
  if (!grant || (current && Date.now() >= current.renewAt)) {
    grant = obtain(target).then(
      (g) => (current = g),
      (error) => {
        grant = undefined;
        throw error;
      },
    );
  }
  return (await grant).token;
}

/**
 * `valid`: Bearer with the given --token, else one obtained with the client credentials.
 * `wrong`: Bearer with a token of the same shape that no server issued. `none`: no header.
 */
export function caseIqAuth(target: Target, session: Session): AuthStrategy {
  return {
    async headers(mode): Promise<Record<string, string>> {
      if (mode === 'none') return {};
      if (mode === 'wrong') return { Authorization: `Bearer ${wrongToken}` };
      const token = await validToken(target);
      session.redactor.add(token);
      return { Authorization: `Bearer ${token}` };
    },
  };
}
