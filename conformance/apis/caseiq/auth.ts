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

/** One grant per test file (vitest isolates files), renewed before it expires on long runs. */
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

async function obtain(session: Session): Promise<Grant> {
  // The longest ttl Case IQ allows, so one token outlives a whole run.
  const result = await requestTokenWith(session, { ttl: 3600 }, { expect: { status: 200 }, step: 'obtain an access token (ttl 3600)' });
  const token = result.status === 200 ? tokenOf(session, result) : undefined;
  if (!token) throw new Error(`no access token: POST /auth/oauth2/token answered ${result.status}`);
  const expiresIn = Number(result.json<{ expires_in?: unknown }>().expires_in ?? 600);
  return { token, renewAt: Date.now() + Math.max(0, (Number.isFinite(expiresIn) ? expiresIn : 600) - 60) * 1000 };
}

async function validToken(target: Target, session: Session): Promise<string> {
  if (target.credentials.token) return target.credentials.token;
  if (!grant || (current && Date.now() >= current.renewAt)) {
    grant = obtain(session).then(
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
      const token = await validToken(target, session);
      session.redactor.add(token);
      return { Authorization: `Bearer ${token}` };
    },
  };
}
