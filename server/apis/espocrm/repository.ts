import type { StoredBlob } from '../../store/blob-store.ts';
import type { Store } from '../../store/store.ts';

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

/** All SQL for EspoCRM's records lives here; handlers speak in rows. */
export class EspoRepository {
  constructor(private readonly store: Store) {}

  insertAttachment(row: AttachmentRow, blob: StoredBlob): void {
    this.store.db.transaction(() => {
      this.store.registerBlob('espocrm', blob);
      this.store.db
        .prepare(
          `INSERT INTO espocrm_attachment (id, name, type, size, role, field, parent_type, parent_id, related_type, related_id,
             source_id, is_being_uploaded, storage, blob_key, created_at, modified_at, created_by_id, created_by_name)
           VALUES (@id, @name, @type, @size, @role, @field, @parent_type, @parent_id, @related_type, @related_id,
             @source_id, @is_being_uploaded, @storage, @blob_key, @created_at, @modified_at, @created_by_id, @created_by_name)`,
        )
        .run(row);
    })();
  }

  findAttachment(id: string): AttachmentRow | undefined {
    return this.store.db.prepare('SELECT * FROM espocrm_attachment WHERE id = ?').get(id) as AttachmentRow | undefined;
  }

  updateAttachment(id: string, patch: Partial<AttachmentRow>): void {
    const keys = Object.keys(patch);
    if (keys.length === 0) return;
    this.store.db
      .prepare(`UPDATE espocrm_attachment SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
      .run({ ...patch, id });
  }

  /** Deletes the record and forgets its blob in one transaction; returns the blob key to unlink. */
  deleteAttachment(id: string): string | undefined {
    return this.store.db.transaction(() => {
      const row = this.findAttachment(id);
      if (!row) return undefined;
      this.store.db.prepare('DELETE FROM espocrm_attachment WHERE id = ?').run(id);
      this.store.forgetBlob(row.blob_key);
      return row.blob_key;
    })();
  }

  attachmentsOf(parentType: string, parentId: string, field: string): AttachmentRow[] {
    return this.store.db
      .prepare('SELECT * FROM espocrm_attachment WHERE parent_type = ? AND parent_id = ? AND field = ? ORDER BY rowid')
      .all(parentType, parentId, field) as AttachmentRow[];
  }

  insertRecord(record: RecordRow): void {
    this.store.db
      .prepare('INSERT INTO espocrm_record (id, entity_type, attributes, created_at) VALUES (?, ?, ?, ?)')
      .run(record.id, record.entity_type, JSON.stringify(record.attributes), record.created_at);
  }

  findRecord(entityType: string, id: string): RecordRow | undefined {
    const row = this.store.db.prepare('SELECT * FROM espocrm_record WHERE entity_type = ? AND id = ?').get(entityType, id) as
      | (Omit<RecordRow, 'attributes'> & { attributes: string })
      | undefined;
    return row ? { ...row, attributes: JSON.parse(row.attributes) } : undefined;
  }

  updateRecordAttributes(id: string, attributes: Record<string, unknown>): void {
    this.store.db.prepare('UPDATE espocrm_record SET attributes = ? WHERE id = ?').run(JSON.stringify(attributes), id);
  }

  deleteRecord(id: string): void {
    this.store.db.prepare('DELETE FROM espocrm_record WHERE id = ?').run(id);
  }

  transaction<T>(work: () => T): T {
    return this.store.db.transaction(work)();
  }
}
