import type { Kysely } from 'kysely';
import type { StoredBlob } from '../../store/blob-store.ts';
import { inTransaction, type CoreTables } from '../../store/record-store.ts';
import type { Workspace } from '../../store/workspace.ts';
import { filterConditions, pageQuery, type ListQuery } from './keyset.ts';

export interface AttachmentRow {
  id: string;
  name: string;
  name_without_extension: string;
  encoding: string;
  mime_type: string;
  object_id: string;
  size_bytes: number;
  description: string | null;
  /** JSON array of tag ids. */
  tags: string;
  template_locale: string;
  kind: string | null;
  file_format: string | null;
  created_date: string;
  blob_key: string;
}

export type CaseIqTables = {
  caseiq_case: { workspace: string; id: string; created_date: string };
  caseiq_attachment: AttachmentRow & { workspace: string };
  caseiq_token: { workspace: string; token_hash: string; client_id: string; expires_at: number };
};

export type CaseIqDb = Kysely<CoreTables & CaseIqTables>;

/** Tables holding a workspace's rows, children first (see ServerApi.workspaceTables). */
export const workspaceTables = ['caseiq_attachment', 'caseiq_case', 'caseiq_token'];

/** All SQL for Case IQ's records lives here; handlers speak in rows. */
export class CaseIqRepository {
  private readonly db: CaseIqDb;

  constructor(
    private readonly ws: Workspace,
    db?: CaseIqDb,
  ) {
    this.db = db ?? ws.db.withTables<CaseIqTables>();
  }

  /** Start-up repair (ServerApi.dropRecordsWithoutBytes): attachments whose bytes are gone. */
  async dropRecordsWithoutBytes(keys: string[]): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      const { numDeletedRows } = await trx.deleteFrom('caseiq_attachment').where('workspace', '=', this.ws.name).where('blob_key', 'in', keys).executeTakeFirst();
      for (const key of keys) await this.ws.forgetBlob(trx, key);
      return Number(numDeletedRows);
    });
  }

  async seedCase(id: string, createdDate: string): Promise<void> {
    await this.db
      .insertInto('caseiq_case')
      .values({ workspace: this.ws.name, id, created_date: createdDate })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async caseExists(id: string): Promise<boolean> {
    const row = await this.db.selectFrom('caseiq_case').select('id').where('workspace', '=', this.ws.name).where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Stores the record and claims its blob in one transaction. `created_date` is left to this
   * method unless given: the current time, nudged 1 ms past the newest record so dates are
   * distinct and increasing even for uploads within one millisecond, on any instance (the
   * workspace's `created_date` lock serialises the read and the insert).
   */
  async insertAttachment(row: Omit<AttachmentRow, 'created_date'> & { created_date?: string }, blob: StoredBlob): Promise<AttachmentRow> {
    return inTransaction(this.db, async (trx) => {
      await this.ws.serialize(trx, 'caseiq_attachment.created_date');
      const created_date = row.created_date ?? (await this.nextCreatedDate(trx));
      const stored: AttachmentRow = { ...row, created_date };
      await this.ws.claimBlob(trx, 'caseiq', blob);
      await trx.insertInto('caseiq_attachment').values({ ...stored, workspace: this.ws.name }).execute();
      return stored;
    });
  }

  private async nextCreatedDate(trx: CaseIqDb): Promise<string> {
    const { newest } = await trx
      .selectFrom('caseiq_attachment')
      .select((eb) => eb.fn.max('created_date').as('newest'))
      .where('workspace', '=', this.ws.name)
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const floor = newest ? Date.parse(newest) + 1 : now;
    return new Date(Math.max(now, floor)).toISOString();
  }

  async findAttachment(id: string): Promise<AttachmentRow | undefined> {
    return this.db.selectFrom('caseiq_attachment').selectAll().where('workspace', '=', this.ws.name).where('id', '=', id).executeTakeFirst();
  }

  /** One keyset page, in the requested order. */
  async page(query: ListQuery): Promise<AttachmentRow[]> {
    const { query: select, readBackwards } = pageQuery(this.db, this.ws.name, query);
    const rows = await select.execute();
    return readBackwards ? rows.reverse() : rows;
  }

  /** Records matching the filters, whatever the page (what fault `count-is-total` reports). */
  async countMatching(filters: ListQuery['filters']): Promise<number> {
    const { count } = await this.db
      .selectFrom('caseiq_attachment')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('workspace', '=', this.ws.name)
      .where((eb) => eb.and(filterConditions(eb, filters)))
      .executeTakeFirstOrThrow();
    return Number(count);
  }
}
