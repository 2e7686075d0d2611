import type { StoredBlob } from '../../store/blob-store.ts';
import type { Store } from '../../store/store.ts';
import { filterClause, pageStatement, type ListQuery } from './keyset.ts';

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

/** All SQL for Case IQ's records lives here; handlers speak in rows. */
export class CaseIqRepository {
  constructor(private readonly store: Store) {}

  seedCase(id: string, createdDate: string): void {
    this.store.db.prepare('INSERT OR IGNORE INTO caseiq_case (id, created_date) VALUES (?, ?)').run(id, createdDate);
  }

  caseExists(id: string): boolean {
    return Boolean(this.store.db.prepare('SELECT 1 FROM caseiq_case WHERE id = ?').get(id));
  }

  /**
   * Stores the record and claims its blob in one transaction. `created_date` is left to this
   * method unless given: the current time, nudged 1 ms past the newest record so dates are
   * distinct and increasing even for uploads within one millisecond.
   */
  insertAttachment(row: Omit<AttachmentRow, 'created_date'> & { created_date?: string }, blob: StoredBlob): AttachmentRow {
    return this.store.db.transaction(() => {
      const created_date = row.created_date ?? this.nextCreatedDate();
      const stored: AttachmentRow = { ...row, created_date };
      this.store.registerBlob('caseiq', blob);
      this.store.db
        .prepare(
          `INSERT INTO caseiq_attachment (id, name, name_without_extension, encoding, mime_type, object_id, size_bytes,
             description, tags, template_locale, kind, file_format, created_date, blob_key)
           VALUES (@id, @name, @name_without_extension, @encoding, @mime_type, @object_id, @size_bytes,
             @description, @tags, @template_locale, @kind, @file_format, @created_date, @blob_key)`,
        )
        .run(stored);
      return stored;
    })();
  }

  private nextCreatedDate(): string {
    const newest = this.store.db.prepare('SELECT MAX(created_date) FROM caseiq_attachment').pluck().get() as string | null;
    const now = Date.now();
    const floor = newest ? Date.parse(newest) + 1 : now;
    return new Date(Math.max(now, floor)).toISOString();
  }

  findAttachment(id: string): AttachmentRow | undefined {
    return this.store.db.prepare('SELECT * FROM caseiq_attachment WHERE id = ?').get(id) as AttachmentRow | undefined;
  }

  /** One keyset page, in the requested order. */
  page(query: ListQuery): AttachmentRow[] {
    const { statement, readBackwards } = pageStatement(query);
    const rows = this.store.db.prepare(statement.sql).all(...statement.params) as AttachmentRow[];
    return readBackwards ? rows.reverse() : rows;
  }

  /** Records matching the filters, whatever the page (what fault `count-is-total` reports). */
  countMatching(filters: ListQuery['filters']): number {
    const clause = filterClause(filters);
    const where = clause.sql ? `WHERE ${clause.sql}` : '';
    return this.store.db.prepare(`SELECT COUNT(*) FROM caseiq_attachment ${where}`).pluck().get(...clause.params) as number;
  }
}
