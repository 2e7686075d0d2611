import { sql, type Generated, type Kysely } from 'kysely';
import type { StoredBlob } from '../../store/blob-store.ts';
import { inBatches, inTransaction, type CoreTables } from '../../store/record-store.ts';
import type { Workspace } from '../../store/workspace.ts';

export interface AttachmentRow {
  id: string;
  name: string;
  type: string | null;
  size: number | null;
  role: string;
  field: string | null;
  parent_type: string | null;
  parent_id: string | null;
  related_type: string | null;
  related_id: string | null;
  source_id: string | null;
  is_being_uploaded: number;
  storage: string;
  blob_key: string;
  created_at: string;
  modified_at: string;
  created_by_id: string;
  created_by_name: string;
}

export interface RecordRow {
  id: string;
  entity_type: string;
  attributes: Record<string, unknown>;
  created_at: string;
}

/** One chunk of a chunked upload (see migration espocrm-002-chunks). */
export interface ChunkRow {
  attachment_id: string;
  seq: number;
  size: number;
  sha256: string;
  /** The chunk's own blob until the upload completes; null once its bytes are in the attachment's. */
  blob_key: string | null;
}

/** Every table is keyed by workspace; `seq` is the insertion order (SQLite's rowid order, on both engines). */
type EspoTables = {
  espocrm_attachment: AttachmentRow & { workspace: string; seq: Generated<number> };
  espocrm_attachment_chunk: ChunkRow & { workspace: string };
  espocrm_record: Omit<RecordRow, 'attributes'> & { attributes: string; workspace: string; seq: Generated<number> };
};

type Db = Kysely<CoreTables & EspoTables>;

/** Tables holding a workspace's rows, children first (see ServerApi.workspaceTables). */
export const workspaceTables = ['espocrm_attachment_chunk', 'espocrm_attachment', 'espocrm_record'];

/** All SQL for EspoCRM's records lives here; handlers speak in rows. */
export class EspoRepository {
  private readonly db: Db;

  constructor(
    private readonly ws: Workspace,
    db?: Db,
  ) {
    this.db = db ?? ws.db.withTables<EspoTables>();
  }

  /**
   * Runs `work` in one transaction with a repository bound to it. Inside, use only that
   * repository: on SQLite the outer one would wait for the transaction to end.
   */
  transaction<T>(work: (repo: EspoRepository) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (trx) => work(new EspoRepository(this.ws, trx)));
  }

  async insertAttachment(row: AttachmentRow, blob: StoredBlob): Promise<void> {
    await this.transaction(async (repo) => {
      await repo.ws.claimBlob(repo.db, 'espocrm', blob);
      await repo.db.insertInto('espocrm_attachment').values({ ...row, workspace: repo.ws.name }).execute();
    });
  }

  /** `lock`: hold the row until the transaction ends, so concurrent updates through other instances wait. */
  async findAttachment(id: string, options: { lock?: boolean } = {}): Promise<AttachmentRow | undefined> {
    return this.db
      .selectFrom('espocrm_attachment')
      .selectAll()
      .where('workspace', '=', this.ws.name)
      .where('id', '=', id)
      .$if(Boolean(options.lock) && this.ws.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
  }

  /** The attachments among `ids` that exist, by id: one query per 500 ids (list pages, not one per record). */
  async findAttachments(ids: string[]): Promise<Map<string, AttachmentRow>> {
    const found = new Map<string, AttachmentRow>();
    for (const batch of inBatches([...new Set(ids)])) {
      const rows = await this.db.selectFrom('espocrm_attachment').selectAll().where('workspace', '=', this.ws.name).where('id', 'in', batch).execute();
      for (const row of rows) found.set(row.id, row);
    }
    return found;
  }

  async updateAttachment(id: string, patch: Partial<AttachmentRow>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('espocrm_attachment').set(patch).where('workspace', '=', this.ws.name).where('id', '=', id).execute();
  }

  /**
   * Deletes the record (and the chunks of an upload in progress) and forgets their blobs in one
   * transaction; returns the blob keys to remove after commit.
   */
  async deleteAttachment(id: string): Promise<string[]> {
    return this.transaction(async (repo) => {
      const row = await repo.findAttachment(id, { lock: true });
      if (!row) return [];
      const chunkKeys = await repo.deleteChunks(id);
      await repo.db.deleteFrom('espocrm_attachment').where('workspace', '=', repo.ws.name).where('id', '=', id).execute();
      await repo.ws.forgetBlob(repo.db, row.blob_key);
      return [row.blob_key, ...chunkKeys];
    });
  }

  async chunksOf(attachmentId: string): Promise<ChunkRow[]> {
    return this.db
      .selectFrom('espocrm_attachment_chunk')
      .select(['attachment_id', 'seq', 'size', 'sha256', 'blob_key'])
      .where('workspace', '=', this.ws.name)
      .where('attachment_id', '=', attachmentId)
      .orderBy('seq')
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, size: Number(r.size) })));
  }

  /** Stores a chunk and claims its blob, in the caller's transaction. */
  async insertChunk(chunk: ChunkRow, blob: StoredBlob): Promise<void> {
    await this.ws.claimBlob(this.db, 'espocrm', blob);
    await this.db.insertInto('espocrm_attachment_chunk').values({ ...chunk, workspace: this.ws.name }).execute();
  }

  /**
   * Completes a chunked upload, in the caller's transaction: the attachment takes the composed
   * blob, the placeholder and the chunks' blobs are forgotten (their lengths and digests stay).
   * Returns the blob keys to remove after commit.
   */
  async completeChunkedUpload(row: AttachmentRow, composed: StoredBlob, modifiedAt: string): Promise<string[]> {
    await this.ws.claimBlob(this.db, 'espocrm', composed);
    await this.updateAttachment(row.id, { blob_key: composed.key, is_being_uploaded: 0, modified_at: modifiedAt });
    await this.ws.forgetBlob(this.db, row.blob_key);
    const chunkKeys = (await this.chunksOf(row.id)).flatMap((c) => (c.blob_key ? [c.blob_key] : []));
    await this.db.updateTable('espocrm_attachment_chunk').set({ blob_key: null }).where('workspace', '=', this.ws.name).where('attachment_id', '=', row.id).execute();
    for (const key of chunkKeys) await this.ws.forgetBlob(this.db, key);
    return [row.blob_key, ...chunkKeys];
  }

  /** Deletes an attachment's chunk rows and forgets their blobs; returns the keys to remove. */
  private async deleteChunks(attachmentId: string): Promise<string[]> {
    const keys = (await this.chunksOf(attachmentId)).flatMap((c) => (c.blob_key ? [c.blob_key] : []));
    await this.db.deleteFrom('espocrm_attachment_chunk').where('workspace', '=', this.ws.name).where('attachment_id', '=', attachmentId).execute();
    for (const key of keys) await this.ws.forgetBlob(this.db, key);
    return keys;
  }

  /** Start-up repair (ServerApi.dropRecordsWithoutBytes): attachments whose bytes are gone. */
  async dropRecordsWithoutBytes(keys: string[]): Promise<number> {
    return this.transaction(async (repo) => {
      // An attachment whose bytes, or one of whose chunks, are gone can never be served whole.
      const byBlob = await repo.db.selectFrom('espocrm_attachment').select('id').where('workspace', '=', repo.ws.name).where('blob_key', 'in', keys).execute();
      const byChunk = await repo.db
        .selectFrom('espocrm_attachment_chunk')
        .select('attachment_id as id')
        .where('workspace', '=', repo.ws.name)
        .where('blob_key', 'in', keys)
        .execute();
      const ids = [...new Set([...byBlob, ...byChunk].map((r) => r.id))];
      // Their other blobs are forgotten with them; the sweep that follows removes those bytes.
      for (const id of ids) await repo.deleteAttachment(id);
      for (const key of keys) await repo.ws.forgetBlob(repo.db, key);
      return ids.length;
    });
  }

  /** Does a record other than `exceptRecordId` link the attachment (a Document's fileId, or the attachment's parent)? */
  async attachmentLinkedElsewhere(attachmentId: string, exceptRecordId: string): Promise<boolean> {
    const fileId = this.ws.dialect === 'postgres' ? sql<string>`(attributes::jsonb ->> 'fileId')` : sql<string>`json_extract(attributes, '$.fileId')`;
    const byFile = await this.db
      .selectFrom('espocrm_record')
      .select('id')
      .where('workspace', '=', this.ws.name)
      .where('entity_type', '=', 'Document')
      .where('id', '<>', exceptRecordId)
      .where(fileId, '=', attachmentId)
      .executeTakeFirst();
    if (byFile) return true;
    const row = await this.findAttachment(attachmentId);
    return Boolean(row?.parent_type && row.parent_id && row.parent_id !== exceptRecordId && (await this.findRecord(row.parent_type, row.parent_id)));
  }

  async attachmentsOf(parentType: string, parentId: string, field: string): Promise<AttachmentRow[]> {
    return (await this.attachmentsOfEach(parentType, [parentId], field)).get(parentId) ?? [];
  }

  /** The attachments of each of `parentIds` in `field`, oldest first: one query per 500 parents. */
  async attachmentsOfEach(parentType: string, parentIds: string[], field: string): Promise<Map<string, AttachmentRow[]>> {
    const byParent = new Map<string, AttachmentRow[]>();
    for (const batch of inBatches([...new Set(parentIds)])) {
      const rows = await this.db
        .selectFrom('espocrm_attachment')
        .selectAll()
        .where('workspace', '=', this.ws.name)
        .where('parent_type', '=', parentType)
        .where('parent_id', 'in', batch)
        .where('field', '=', field)
        .orderBy('seq')
        .execute();
      for (const row of rows) {
        const list = byParent.get(row.parent_id!) ?? [];
        list.push(row);
        byParent.set(row.parent_id!, list);
      }
    }
    return byParent;
  }

  async insertRecord(record: RecordRow): Promise<void> {
    await this.db
      .insertInto('espocrm_record')
      .values({ workspace: this.ws.name, id: record.id, entity_type: record.entity_type, attributes: JSON.stringify(record.attributes), created_at: record.created_at })
      .execute();
  }

  async findRecord(entityType: string, id: string, options: { lock?: boolean } = {}): Promise<RecordRow | undefined> {
    const row = await this.db
      .selectFrom('espocrm_record')
      .select(['id', 'entity_type', 'attributes', 'created_at'])
      .where('workspace', '=', this.ws.name)
      .where('entity_type', '=', entityType)
      .where('id', '=', id)
      .$if(Boolean(options.lock) && this.ws.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    return row ? { ...row, attributes: JSON.parse(row.attributes) as Record<string, unknown> } : undefined;
  }

  /** Every record of a type, oldest first; list routes filter, order and page them (search-params.ts). */
  async listRecords(entityType: string): Promise<RecordRow[]> {
    const rows = await this.db
      .selectFrom('espocrm_record')
      .select(['id', 'entity_type', 'attributes', 'created_at'])
      .where('workspace', '=', this.ws.name)
      .where('entity_type', '=', entityType)
      .orderBy('seq')
      .execute();
    return rows.map((row) => ({ ...row, attributes: JSON.parse(row.attributes) as Record<string, unknown> }));
  }

  /** Every attachment, oldest first (GET Attachment is admin-only). */
  async listAttachments(): Promise<AttachmentRow[]> {
    const rows = await this.db.selectFrom('espocrm_attachment').selectAll().where('workspace', '=', this.ws.name).orderBy('seq').execute();
    return rows.map(({ workspace: _workspace, seq: _seq, ...row }) => row);
  }

  async updateRecordAttributes(id: string, attributes: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('espocrm_record')
      .set({ attributes: JSON.stringify(attributes) })
      .where('workspace', '=', this.ws.name)
      .where('id', '=', id)
      .execute();
  }

  async deleteRecord(id: string): Promise<void> {
    await this.db.deleteFrom('espocrm_record').where('workspace', '=', this.ws.name).where('id', '=', id).execute();
  }
}
