import { createHash, randomBytes } from 'node:crypto';
import { secretEquals } from '../../kit/constant-time.ts';
import type { Workspace } from '../../store/workspace.ts';
import type { OnlyofficeDb, OnlyofficeTables } from './repository.ts';

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
 * restarts on the same data dir, as a portal's cookie survives a portal restart, and every
 * instance sharing a database accepts it. A token belongs to the workspace it was issued in.
 */
export class TokenStore {
  private readonly db: OnlyofficeDb;

  constructor(private readonly ws: Workspace) {
    this.db = ws.db.withTables<OnlyofficeTables>();
  }

  async issue(userName: string, now = new Date()): Promise<IssuedToken> {
    const raw = randomBytes(selectorBytes + verifierBytes);
    const expires = new Date(now.getTime() + tokenLifetimeMs);
    await this.db
      .insertInto('onlyoffice_token')
      .values({
        workspace: this.ws.name,
        selector: raw.subarray(0, selectorBytes).toString('hex'),
        verifier_sha256: sha256(raw.subarray(selectorBytes)),
        user_name: userName,
        created_at: now.toISOString(),
        expires_at: expires.toISOString(),
      })
      .execute();
    return { token: raw.toString('base64'), expires };
  }

  /** The user a token belongs to, or undefined when it is unknown, malformed or expired. */
  async verify(token: string, now = new Date()): Promise<string | undefined> {
    const raw = Buffer.from(token.trim(), 'base64');
    if (raw.length !== selectorBytes + verifierBytes) return undefined;
    const row = await this.db
      .selectFrom('onlyoffice_token')
      .select(['verifier_sha256', 'user_name', 'expires_at'])
      .where('workspace', '=', this.ws.name)
      .where('selector', '=', raw.subarray(0, selectorBytes).toString('hex'))
      .executeTakeFirst();
    if (!row || !secretEquals(sha256(raw.subarray(selectorBytes)), row.verifier_sha256)) return undefined;
    return new Date(row.expires_at) > now ? row.user_name : undefined;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
