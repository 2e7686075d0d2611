import { createHash, randomBytes } from 'node:crypto';
import type { Workspace } from '../../store/workspace.ts';
import type { CaseIqDb, CaseIqTables } from './repository.ts';

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
 * property a direct string comparison would need). Every instance sharing the database accepts
 * them; a token belongs to the workspace it was issued in.
 */
export class TokenStore {
  private readonly db: CaseIqDb;

  constructor(private readonly ws: Workspace) {
    this.db = ws.db.withTables<CaseIqTables>();
  }

  async issue(clientId: string, ttlSeconds: number, now = Date.now()): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + Math.round(ttlSeconds * 1000);
    await this.db.transaction().execute(async (trx) => {
      // Expired tokens are useless; forgetting them here keeps the table small.
      await trx.deleteFrom('caseiq_token').where('workspace', '=', this.ws.name).where('expires_at', '<', now - 24 * 3600 * 1000).execute();
      await trx.insertInto('caseiq_token').values({ workspace: this.ws.name, token_hash: digest(token), client_id: clientId, expires_at: expiresAt }).execute();
    });
    return { token, expiresAt };
  }

  async find(token: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('caseiq_token')
      .select(['client_id', 'expires_at'])
      .where('workspace', '=', this.ws.name)
      .where('token_hash', '=', digest(token))
      .executeTakeFirst();
    return row && { clientId: row.client_id, expiresAt: Number(row.expires_at) };
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
