import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../store/store.ts';

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

export interface TokenRecord {
  clientId: string;
  expiresAt: number;
}

/**
 * Opaque bearer tokens. Only their sha256 is stored and looked up, so the lookup's timing can at
 * most reveal hash prefixes, which say nothing about any valid token (the constant-time
 * property a direct string comparison would need).
 */
export class TokenStore {
  constructor(private readonly store: Store) {}

  issue(clientId: string, ttlSeconds: number, now = Date.now()): IssuedToken {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + Math.round(ttlSeconds * 1000);
    this.store.db.transaction(() => {
      // Expired tokens are useless; forgetting them here keeps the table small.
      this.store.db.prepare('DELETE FROM caseiq_token WHERE expires_at < ?').run(now - 24 * 3600 * 1000);
      this.store.db.prepare('INSERT INTO caseiq_token (token_hash, client_id, expires_at) VALUES (?, ?, ?)').run(digest(token), clientId, expiresAt);
    })();
    return { token, expiresAt };
  }

  find(token: string): TokenRecord | undefined {
    const row = this.store.db.prepare('SELECT client_id, expires_at FROM caseiq_token WHERE token_hash = ?').get(digest(token)) as
      | { client_id: string; expires_at: number }
      | undefined;
    return row && { clientId: row.client_id, expiresAt: row.expires_at };
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
