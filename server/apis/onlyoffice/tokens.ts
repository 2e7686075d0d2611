import { createHash, randomBytes } from 'node:crypto';
import { secretEquals } from '../../kit/constant-time.ts';
import type { Store } from '../../store/store.ts';

const selectorBytes = 12;
const verifierBytes = 36;
/** ONLYOFFICE's authentication cookie lives a year unless the portal shortens it. */
export const tokenLifetimeMs = 365 * 24 * 60 * 60 * 1000;

export interface IssuedToken {
  token: string;
  expires: Date;
}

/**
 * Tokens are opaque base64 strings, like ONLYOFFICE's encrypted cookies. Inside, a selector
 * finds the row and a verifier is checked against its stored hash in constant time, so neither
 * the database lookup nor the comparison reveals how much of a guessed token was right, and the
 * store never holds a usable token. Rows are kept in the store: a token stays valid across
 * restarts on the same data dir, as a portal's cookie survives a portal restart.
 */
export class TokenStore {
  constructor(private readonly store: Store) {}

  issue(userName: string, now = new Date()): IssuedToken {
    const raw = randomBytes(selectorBytes + verifierBytes);
    const expires = new Date(now.getTime() + tokenLifetimeMs);
    this.store.db
      .prepare('INSERT INTO onlyoffice_token (selector, verifier_sha256, user_name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(raw.subarray(0, selectorBytes).toString('hex'), sha256(raw.subarray(selectorBytes)), userName, now.toISOString(), expires.toISOString());
    return { token: raw.toString('base64'), expires };
  }

  /** The user a token belongs to, or undefined when it is unknown, malformed or expired. */
  verify(token: string, now = new Date()): string | undefined {
    const raw = Buffer.from(token.trim(), 'base64');
    if (raw.length !== selectorBytes + verifierBytes) return undefined;
    const row = this.store.db
      .prepare('SELECT verifier_sha256, user_name, expires_at FROM onlyoffice_token WHERE selector = ?')
      .get(raw.subarray(0, selectorBytes).toString('hex')) as { verifier_sha256: string; user_name: string; expires_at: string } | undefined;
    if (!row || !secretEquals(sha256(raw.subarray(selectorBytes)), row.verifier_sha256)) return undefined;
    return new Date(row.expires_at) > now ? row.user_name : undefined;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
